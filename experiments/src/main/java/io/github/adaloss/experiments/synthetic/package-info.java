/** Main job: synthetic. */
package io.github.adaloss.experiments.synthetic;
