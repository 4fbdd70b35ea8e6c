/** Main job: report. */
package io.github.adaloss.experiments.report;
