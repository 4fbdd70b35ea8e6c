/**
 * The AdaLoss family of Deeplearning4j updaters, and everything a user touches to run them.
 *
 * <p>Public: the four immutable, JSON-serializable {@link org.nd4j.linalg.learning.config.IUpdater}
 * configurations ({@link io.github.adaloss.updater.AdaLoss}, {@link io.github.adaloss.updater.AdaGradNorm},
 * {@link io.github.adaloss.updater.AdamLoss}, {@link io.github.adaloss.updater.HeavyBall}), the loss feeds
 * {@link io.github.adaloss.updater.LossFeedListener} (MultiLayerNetwork, ComputationGraph) and
 * {@link io.github.adaloss.updater.SameDiffLossFeedListener} (SameDiff graphs) with their step recovery options
 * {@link io.github.adaloss.updater.Recovery}, the read-back {@link io.github.adaloss.updater.AdaptiveSteps}
 * (accumulator {@code b}, current step, recoveries) and {@link io.github.adaloss.updater.NonFiniteValueException}.
 * Everything else is package-private: the state-holding {@link org.nd4j.linalg.learning.GradientUpdater}s
 * (created by DL4J through {@code IUpdater.instantiate}), the network step that ties a network's updater blocks
 * to ONE accumulator {@code b} (DL4J splits a network's parameters into several blocks: frozen layers, BatchNorm,
 * per-layer settings), the deferred step of a SameDiff graph (SameDiff's listener hooks drive the same
 * package-private updaters, which is why the SameDiff support lives in this package rather than its own), and the
 * per-network recovery state. The equations, the loss feed, weight decay, and the
 * limits are in {@code docs/optimizers.md}.
 */
package io.github.adaloss.updater;
