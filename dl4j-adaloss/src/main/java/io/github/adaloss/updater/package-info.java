/**
 * The AdaLoss family of Deeplearning4j updaters.
 *
 * <p>Each optimizer is an immutable, JSON-serializable {@link org.nd4j.linalg.learning.config.IUpdater}
 * configuration ({@link io.github.adaloss.updater.AdaLoss}, {@link io.github.adaloss.updater.AdaGradNorm},
 * {@link io.github.adaloss.updater.AdamLoss}, {@link io.github.adaloss.updater.HeavyBall}) paired with a
 * state-holding {@link org.nd4j.linalg.learning.GradientUpdater}. The loss-driven and norm-driven updaters keep
 * ONE step size per network: DL4J splits a network's parameters into several updater blocks (frozen layers,
 * BatchNorm, per-layer settings), so the blocks of one training step are tied together by a
 * {@link io.github.adaloss.updater.NetworkStep} that the {@link io.github.adaloss.updater.LossFeedListener} opens
 * before the updater runs. The step commits atomically: every block is validated (finite loss and gradients)
 * before any state or gradient is modified.
 */
package io.github.adaloss.updater;
