/**
 * Connects the AdaLoss-family updaters to a DL4J network: {@link io.github.adaloss.feed.LossFeedListener} hands
 * each training step's loss to the network's updater blocks, {@link io.github.adaloss.feed.UpdaterBlocks} finds
 * those blocks, and {@link io.github.adaloss.feed.AdaptiveSteps} reads the current accumulator and effective step.
 */
package io.github.adaloss.feed;
