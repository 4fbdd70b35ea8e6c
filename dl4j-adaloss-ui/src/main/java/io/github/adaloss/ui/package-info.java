/**
 * The AdaLoss-family state (accumulator, step, rejected steps) and the NTK spectrum in DL4J's training UI:
 * {@link io.github.adaloss.ui.AdaLossStatsListener} posts records to a DL4J {@code StatsStorageRouter} under its own
 * type ID, and {@link io.github.adaloss.ui.AdaLossUIModule} (found by DL4J's UI server through
 * {@code ServiceLoader}) serves them as live charts at {@code /adaloss}.
 */
package io.github.adaloss.ui;
