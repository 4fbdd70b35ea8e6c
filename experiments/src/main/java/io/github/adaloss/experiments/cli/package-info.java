/** Main job: cli. */
package io.github.adaloss.experiments.cli;
