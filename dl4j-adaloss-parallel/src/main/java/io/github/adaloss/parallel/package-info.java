/**
 * Keeping a network's updater state across successive {@code ParallelWrapper.fit(...)} calls; see
 * {@link io.github.adaloss.parallel.ParallelFit}.
 */
package io.github.adaloss.parallel;
