/** A DL4J training listener that tracks the empirical NTK and its spectrum while {@code fit} runs. */
package io.github.adaloss.ntk.listener;
