/** Main job: realdata. */
package io.github.adaloss.experiments.realdata;
