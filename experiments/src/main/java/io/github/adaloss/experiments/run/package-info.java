/** Main job: run. */
package io.github.adaloss.experiments.run;
