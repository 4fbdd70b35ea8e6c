/**
 * The main job: reproduces the AdaLoss, two-layer NTK and heavy-ball experiments and writes a visual report.
 * Entry point {@link io.github.adaloss.experiments.Main}.
 */
package io.github.adaloss.experiments;
