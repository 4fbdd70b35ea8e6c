package io.github.adaloss.updater;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-graph side of the {@link SameDiffLossFeedListener}: opens a {@link GraphStep} at each iteration and, once
 * SameDiff has produced the loss and every gradient, validates the step and commits it with ONE accumulator
 * {@code b} for the whole graph, or rejects it (see {@link Recovery}).
 *
 * <p>Order of a commit, per variable and exactly as SameDiff's {@code TrainingSession} orders it in-line: the
 * gradient (L1/L2 already added by SameDiff) becomes the update through the variable's updater with
 * {@code b_{t+1}}, post-updater regularization (weight decay) is added with SameDiff's learning-rate argument,
 * and the update is subtracted (added when the configuration maximizes). Nothing reaches a variable before the
 * loss, every gradient and every update were found finite. Holds the graph's gradient buffers and recovery state;
 * one instance per graph, held by the graph's first updater (a plain Java field: not saved, recreated with the
 * updaters, e.g. by {@code SameDiff.load}), so the listener itself stays stateless. Used from the thread that trains
 * the graph.
 */
final class GraphTrainer {

    private static final Logger log = LoggerFactory.getLogger(GraphTrainer.class);

    private final Map<String, INDArray> buffers = new HashMap<>();
    private final GraphSnapshot snapshot = new GraphSnapshot();
    private final GraphSnapshot precommit = new GraphSnapshot();
    private int snapshotIteration;
    private boolean hasSnapshot;
    private double maxAcceptedLoss = Double.NaN;
    private int consecutive;
    private long recoveries;
    private double lastLoss = Double.NaN;

    /** @return how many steps were rejected on this graph */
    long recoveries() {
        return recoveries;
    }

    /** @return the loss {@code l_t} of the last step this trainer saw (data loss plus regularization), NaN before */
    double lastLoss() {
        return lastLoss;
    }

    /**
     * Opens the step of a graph, with the trainer held by the graph's first updater.
     *
     * @param sd        the graph, its training already initialized by SameDiff
     * @param iteration the iteration SameDiff will pass to the updaters
     * @return the step attached to the graph's updaters, or {@code null} when the graph's updater is not one of
     *         this library's
     */
    static GraphStep open(SameDiff sd, int iteration) {
        Map<String, NetworkStepUpdater<?>> members = GraphStep.members(sd.getUpdaterMap());
        if (members.isEmpty()) {
            return null;
        }
        GraphTrainer trainer = members.values().iterator().next().graphTrainer();
        GraphStep step = new GraphStep(iteration, members, trainer.buffers, trainer);
        step.open();
        return step;
    }

    /**
     * @param sd a graph
     * @return its trainer, or {@code null} if none was created (no step of this library ran on its updaters)
     */
    static GraphTrainer of(SameDiff sd) {
        Map<String, NetworkStepUpdater<?>> members = GraphStep.members(sd.getUpdaterMap());
        return members.isEmpty() ? null : members.values().iterator().next().existingGraphTrainer();
    }

    /**
     * Validates and commits (or rejects) the step.
     *
     * @param sd       the graph that owns the variables and the training configuration
     * @param step     the step, whose gradients have all arrived
     * @param dataLoss computes the sum of the graph's loss variables for this mini-batch at the pre-update
     *                 variables (called only when the loss is needed: loss-rule accumulator or recovery)
     * @param recovery the recovery options
     * @return true when the step was rejected
     * @throws NonFiniteValueException when the step cannot be accepted nor recovered
     */
    boolean finish(SameDiff sd, GraphStep step, DoubleSupplier dataLoss, Recovery recovery) {
        step.close();
        Map<String, INDArray> gradients = step.gradients();
        if (gradients.isEmpty()) {
            return false;
        }
        TrainingConfig config = sd.getTrainingConfig();
        int iteration = step.iteration();
        int epoch = step.epoch();
        List<NetworkStep.Member> members = step.members();
        AccumulatorSpec spec = NetworkStep.agreedSpec(members);
        boolean recovering = recovery.isEnabled() && spec != null;
        boolean lossNeeded = recovering || spec != null && spec.rule() == AccumulatorSpec.Rule.LOSS;
        double loss = lossNeeded ? dataLoss.getAsDouble() + regularizationScore(sd, config, gradients, iteration, epoch)
                : Double.NaN;
        lastLoss = loss;
        double before = NetworkStep.currentBSquared(members);
        String reason = gradientProblem(gradients);
        if (reason == null && lossNeeded && !Double.isFinite(loss)) {
            reason = "the mini-batch loss is " + loss;
        }
        if (reason == null && recovering && maxAcceptedLoss > 0 && loss > recovery.getExplosionFactor() * maxAcceptedLoss) {
            reason = "the mini-batch loss " + loss + " exceeds " + recovery.getExplosionFactor()
                    + " times the largest accepted loss " + maxAcceptedLoss;
        }
        double next = Double.NaN;
        if (reason == null && spec != null) {
            next = before + spec.increment(loss, spec.rule() == AccumulatorSpec.Rule.GRADIENT_NORM
                    ? squaredNorm(gradients) : 0);
            if (!NetworkStep.storable(members, next)) {
                // as on a MultiLayerNetwork: growing b further cannot help, so refuse with nothing changed
                throw new NonFiniteValueException(iteration, "the accumulator b^2 would become " + next
                        + ", more than its state array can hold");
            }
        }
        if (reason != null && !recovering) {
            throw new NonFiniteValueException(iteration, reason);
        }
        if (reason == null) {
            if (recovering && (!hasSnapshot || iteration - snapshotIteration >= recovery.getSnapshotEvery())) {
                snapshot.capture(sd, step.byName(), true);
                snapshotIteration = iteration;
                hasSnapshot = true;
            } else if (!recovering) {
                precommit.capture(sd, step.byName(), false);
            }
            commit(sd, config, step, next, iteration, epoch);
            reason = updateProblem(gradients);
            if (reason == null) {
                apply(sd, config, gradients);
                if (recovering) {
                    consecutive = 0;
                    maxAcceptedLoss = Double.isNaN(maxAcceptedLoss) ? loss : Math.max(maxAcceptedLoss, loss);
                }
                return false;
            }
            if (!recovering) {
                precommit.restore(sd, step.byName());
                throw new NonFiniteValueException(iteration, reason);
            }
        }
        return reject(sd, step, recovery, iteration, reason, before);
    }

    private boolean reject(SameDiff sd, GraphStep step, Recovery recovery, int iteration, String reason,
                           double before) {
        List<NetworkStep.Member> members = step.members();
        if (!hasSnapshot) {
            throw new NonFiniteValueException(iteration, reason + " at the first step this loss feed saw on this "
                    + "graph, so there is no snapshot to roll back to");
        }
        snapshot.restore(sd, step.byName());
        if (++consecutive > recovery.getMaxConsecutiveRejections()) {
            consecutive = 0;
            throw new NonFiniteValueException(iteration, reason + "; gave up after "
                    + recovery.getMaxConsecutiveRejections() + " consecutive rejected steps (b = " + Math.sqrt(before)
                    + ")", "variables and updater state were rolled back to iteration " + snapshotIteration);
        }
        double grown = before * recovery.getBGrowth();
        if (!NetworkStep.storable(members, grown)) {
            throw new NonFiniteValueException(iteration, reason + "; b^2 would become " + grown
                    + ", more than its state array can hold", "variables and updater state were rolled back to "
                    + "iteration " + snapshotIteration);
        }
        NetworkStep.writeBSquared(members, grown);
        recoveries++;
        log.warn("iteration {}: {}; step rejected, variables and updater state rolled back to iteration {}, "
                        + "b {} -> {} (rejection {} in a row, {} on this graph)", iteration, reason,
                snapshotIteration, Math.sqrt(before), Math.sqrt(grown), consecutive, recoveries);
        return true;
    }

    /** Turns every gradient into its update: updater with {@code b_{t+1}}, then post-updater regularization. */
    private static void commit(SameDiff sd, TrainingConfig config, GraphStep step, double bSquared, int iteration,
                               int epoch) {
        if (!Double.isNaN(bSquared)) {
            NetworkStep.writeBSquared(step.members(), bSquared);
        }
        List<Regularization> regs = config.getRegularization();
        double lr = config.getUpdater().hasLearningRate() ? config.getUpdater().getLearningRate(iteration, epoch) : 1.0;
        for (Map.Entry<String, INDArray> e : step.gradients().entrySet()) {
            step.updater(e.getKey()).commit(e.getValue(), bSquared, iteration, epoch);
            if (regs != null) {
                INDArray param = sd.getVariable(e.getKey()).getArr();
                INDArray update = e.getValue().reshape(param.shape());
                for (Regularization r : regs) {
                    if (r.applyStep() == Regularization.ApplyStep.POST_UPDATER) {
                        r.apply(param, update, lr, iteration, epoch);
                    }
                }
            }
        }
    }

    private static void apply(SameDiff sd, TrainingConfig config, Map<String, INDArray> updates) {
        for (Map.Entry<String, INDArray> e : updates.entrySet()) {
            INDArray param = sd.getVariable(e.getKey()).getArr();
            INDArray update = e.getValue().reshape(param.shape());
            if (config.isMinimize()) {
                param.subi(update);
            } else {
                param.addi(update);
            }
        }
    }

    /** The regularization score SameDiff adds to its reported loss: {@code sum_vars sum_regs reg.score(var)}. */
    private static double regularizationScore(SameDiff sd, TrainingConfig config, Map<String, INDArray> gradients,
                                              int iteration, int epoch) {
        List<Regularization> regs = config.getRegularization();
        if (regs == null || regs.isEmpty()) {
            return 0;
        }
        double score = 0;
        for (String name : gradients.keySet()) {
            INDArray param = sd.getVariable(name).getArr();
            for (Regularization r : regs) {
                score += r.score(param, iteration, epoch);
            }
        }
        return score;
    }

    private static String gradientProblem(Map<String, INDArray> gradients) {
        return firstNonFinite(gradients, "gradient");
    }

    private static String updateProblem(Map<String, INDArray> updates) {
        return firstNonFinite(updates, "update");
    }

    private static String firstNonFinite(Map<String, INDArray> arrays, String what) {
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            double sum = FiniteCheck.absSum(e.getValue());
            if (!Double.isFinite(sum)) {
                return "the " + what + " of variable \"" + e.getKey() + "\" is not finite (the sum of its "
                        + "magnitudes is " + sum + ")";
            }
        }
        return null;
    }

    private static double squaredNorm(Map<String, INDArray> gradients) {
        double sum = 0;
        for (INDArray g : gradients.values()) {
            sum += FiniteCheck.squaredNorm(g);
        }
        return sum;
    }
}
