package io.github.adaloss.updater;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;

/**
 * Reads the network-level state of the AdaLoss family from a network's updater: the accumulator {@code b_t}, the
 * current step size {@code eta / b_t}, and the number of steps the loss feed's recovery rejected.
 *
 * <p>What the current step means: {@code b_t} is the accumulator after the last update, so {@code eta / b_t}
 * is the step size that update used (when {@code eta} is constant). The next update will use
 * {@code eta / b_{t+1}} with {@code b_{t+1} >= b_t}, which depends on the next mini-batch's loss (AdaLoss,
 * AdamLoss) or gradient (AdaGrad-Norm) and is not known before it: {@code eta / b_t} is therefore an upper bound
 * of the next step, never an underestimate.
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
     * @return {@code eta / b_t}, with {@code eta} of the first AdaLoss-family block at the network's current
     *         iteration and epoch: the step of the last update, and an upper bound of the next one; empty if
     *         there is no AdaLoss-family block
     */
    public static OptionalDouble currentStep(Model model) {
        NetworkStepUpdater<?> u = UpdaterBlocks.firstAccumulator(model);
        if (u == null) {
            return OptionalDouble.empty();
        }
        double eta = u.getConfig().getLearningRate(UpdaterBlocks.iterationCount(model), UpdaterBlocks.epochCount(model));
        return OptionalDouble.of(eta / u.currentB());
    }

    /**
     * @param model a MultiLayerNetwork or ComputationGraph
     * @return the same as {@link #currentStep}
     * @deprecated the name suggested the step of the next update; use {@link #currentStep}, which says what it is
     */
    @Deprecated
    public static OptionalDouble effectiveStep(Model model) {
        return currentStep(model);
    }

    /**
     * @param model a MultiLayerNetwork or ComputationGraph
     * @return how many steps the loss feed rejected on this network since its updater was created (0 when none
     *         was; empty without an AdaLoss-family updater)
     */
    public static OptionalLong recoveries(Model model) {
        List<NetworkStep.Member> members = UpdaterBlocks.networkStepMembers(model);
        if (UpdaterBlocks.firstAccumulator(members) == null) {
            return OptionalLong.empty();
        }
        NetworkGuard g = UpdaterBlocks.guardHolder(members).existingGuard();
        return OptionalLong.of(g == null ? 0 : g.recoveries());
    }

    /**
     * @param sd a SameDiff graph
     * @return its current accumulator {@code b_t} (the same in every variable's updater), or empty if the graph
     *         has no AdaLoss-family updater or has not been trained yet
     */
    public static OptionalDouble accumulator(SameDiff sd) {
        NetworkStepUpdater<?> u = firstAccumulator(sd);
        return u == null ? OptionalDouble.empty() : OptionalDouble.of(u.currentB());
    }

    /**
     * @param sd a SameDiff graph
     * @return {@code eta / b_t} with {@code eta} at the graph's current iteration and epoch, as
     *         {@link #currentStep(Model)}; empty if {@link #accumulator(SameDiff)} is
     */
    public static OptionalDouble currentStep(SameDiff sd) {
        NetworkStepUpdater<?> u = firstAccumulator(sd);
        if (u == null) {
            return OptionalDouble.empty();
        }
        TrainingConfig c = sd.getTrainingConfig();
        return OptionalDouble.of(u.getConfig().getLearningRate(c.getIterationCount(), c.getEpochCount()) / u.currentB());
    }

    /**
     * @param sd a SameDiff graph
     * @return how many steps the SameDiff loss feed rejected on this graph since its updaters were created (0 when
     *         none was; empty without an AdaLoss-family updater)
     */
    public static OptionalLong recoveries(SameDiff sd) {
        if (firstAccumulator(sd) == null) {
            return OptionalLong.empty();
        }
        GraphTrainer t = GraphTrainer.of(sd);
        return OptionalLong.of(t == null ? 0 : t.recoveries());
    }

    private static NetworkStepUpdater<?> firstAccumulator(SameDiff sd) {
        for (NetworkStepUpdater<?> u : GraphStep.members(sd.getUpdaterMap()).values()) {
            if (u.accumulatorSpec() != null) {
                return u;
            }
        }
        return null;
    }
}
