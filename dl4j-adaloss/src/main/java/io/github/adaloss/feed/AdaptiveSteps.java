package io.github.adaloss.feed;

import io.github.adaloss.updater.NetworkStepUpdater;
import java.util.OptionalDouble;
import org.deeplearning4j.nn.api.Model;

/**
 * Reads the network-level state of the AdaLoss family from a network's updater: the accumulator {@code b_t} and
 * the effective step size {@code eta / b_t} that the next update will scale the gradient by (before the next
 * increment of {@code b}).
 */
public final class AdaptiveSteps {

    private AdaptiveSteps() {
    }

    /**
     * @param model a MultiLayerNetwork or ComputationGraph
     * @return the current accumulator {@code b_t} (shared by all blocks), or empty if the network has no
     *         AdaLoss-family updater
     */
    public static OptionalDouble accumulator(Model model) {
        NetworkStepUpdater<?> u = UpdaterBlocks.firstAccumulator(model);
        return u == null ? OptionalDouble.empty() : OptionalDouble.of(u.currentB());
    }

    /**
     * @param model a MultiLayerNetwork or ComputationGraph
     * @return {@code eta / b_t} of the first AdaLoss-family block at the network's current iteration and epoch, or
     *         empty if there is none
     */
    public static OptionalDouble effectiveStep(Model model) {
        NetworkStepUpdater<?> u = UpdaterBlocks.firstAccumulator(model);
        if (u == null) {
            return OptionalDouble.empty();
        }
        double eta = u.getConfig().getLearningRate(UpdaterBlocks.iterationCount(model), UpdaterBlocks.epochCount(model));
        return OptionalDouble.of(eta / u.currentB());
    }
}
