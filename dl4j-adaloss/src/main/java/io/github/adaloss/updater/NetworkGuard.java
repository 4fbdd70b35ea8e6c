package io.github.adaloss.updater;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.StepFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-network side of the step recovery described in {@link Recovery}: the snapshot of the parameters and
 * of the updater state, the typical accepted loss, the rejection counters, and the step in progress. One instance
 * per network, held by the network's first block with an updater of this package (a plain Java field: never
 * serialized, recreated with the updater), so a {@link LossFeedListener} shared by threads or shipped to Spark
 * executors stays stateless. Used only from the thread that trains the network.
 *
 * <p>A step goes through two calls. {@link #beforeUpdate} (from the feed's {@code onGradientCalculation}) checks
 * the loss and the gradient, takes the snapshot when due and opens the {@link NetworkStep}, or marks the step
 * rejected; it changes neither the parameters nor the updater state, so every listener's
 * {@code onGradientCalculation} sees one state, {@code model.score()} being the loss at {@code model.params()}.
 * {@link #commit} (from {@link GuardedStepFunction}, DL4J's {@code params -= update}, after every updater block and
 * before any {@code iterationDone}) checks that the whole update is finite and applies it, or, for a rejected
 * step, restores the snapshot instead: no listener ever sees the parameters or updater state of a rejected step.
 */
final class NetworkGuard {

    private static final Logger log = LoggerFactory.getLogger(NetworkGuard.class);
    /** Weight of the newest accepted loss in the running typical loss. */
    static final double TYPICAL_LOSS_WEIGHT = 0.1;

    private INDArray params;
    private INDArray state;
    private int snapshotIteration;
    private boolean hasSnapshot;
    private int updatesSinceSnapshot;
    private double typicalLoss = Double.NaN;
    private boolean rebaseline;
    private int consecutive;
    private long recoveries;

    // the step in progress
    private Gradient claimedGradient;
    private int claimedIteration = -1;
    private LossFeedListener owner;
    private boolean open;
    private String rejection;
    private List<NetworkStep.Member> members;
    private AccumulatorSpec spec;
    private Recovery recovery;
    private double loss;
    private double bSquaredBefore;

    /** @return how many steps were rejected on this network since its updater was created */
    long recoveries() {
        return recoveries;
    }

    /**
     * Makes {@code feed} the one loss feed of the current step. DL4J's {@code addListeners} keeps duplicates, so
     * two feeds (or one added twice) both reach {@code onGradientCalculation}: the current step is recognised by
     * its gradient object (DL4J creates a new one at every {@code computeGradientAndScore}) and its iteration.
     *
     * @return false when another call already handled this step (the caller must do nothing)
     */
    boolean claim(Model model, int iteration, LossFeedListener feed) {
        Gradient g = model.gradient();
        if (g != null && g == claimedGradient && iteration == claimedIteration) {
            return false;
        }
        claimedGradient = g;
        claimedIteration = iteration;
        owner = feed;
        return true;
    }

    /**
     * Called at {@code onGradientCalculation}: accepts the step (snapshot when due, opens the network step) or
     * marks it rejected (zero update in this package's blocks, rollback at {@link #commit}). Throws
     * {@link NonFiniteValueException} before anything changed when the step cannot be rolled back.
     */
    void beforeUpdate(Model model, List<NetworkStep.Member> members, AccumulatorSpec spec, Recovery recovery,
                      int iteration, double loss) {
        this.open = false;
        this.rejection = null;
        this.members = members;
        this.spec = spec;
        this.recovery = recovery;
        this.loss = loss;
        this.bSquaredBefore = NetworkStep.currentBSquared(members);
        String reason = null;
        if (spec != null && !Double.isFinite(loss)) {
            reason = "the mini-batch loss is " + loss;
        } else {
            double sum = LossFeedListener.gradientSum(model);
            if (!Double.isFinite(sum)) {
                reason = "the gradient is not finite (the sum of its magnitudes is " + sum + ")";
            } else if (recovery.isEnabled() && spec != null) {
                reason = explosion(spec, recovery, loss);
            }
        }
        boolean recoverable = recovery.isEnabled() && spec != null;
        if (reason == null) {
            if (!hasSnapshot || iteration - snapshotIteration >= recovery.getSnapshotEvery()) {
                snapshot(model, iteration);
            }
            NetworkStep.open(iteration, loss, members);
            open = true;
            return;
        }
        if (!recoverable) {
            throw new NonFiniteValueException(iteration, reason);
        }
        if (!hasSnapshot) {
            throw new NonFiniteValueException(iteration, reason + " at the first step this loss feed saw on this "
                    + "network, so there is no snapshot to roll back to");
        }
        giveUpIfDue(model, iteration, reason);
        rejection = reason;
        NetworkStep.openRejected(iteration, members);
        open = true;
    }

    /**
     * The explosion rule: with {@code d_t = |l_t - c|}, the typical loss {@code m} (exponential average of the
     * accepted {@code d}, weight {@link #TYPICAL_LOSS_WEIGHT}) and the floor {@code b0^2 / alpha} ({@code alpha = 1}
     * for AdaGrad-Norm), a finite loss is an explosion when {@code d_t > explosionFactor * max(m, floor)}, at least one
     * update was applied since the snapshot, and {@code max(m, floor) > 0}.
     *
     * @return the reason for rejecting, or {@code null}
     */
    private String explosion(AccumulatorSpec spec, Recovery recovery, double loss) {
        if (updatesSinceSnapshot == 0 || Double.isNaN(typicalLoss) || rebaseline) {
            return null;
        }
        double d = Math.abs(loss - (spec.rule() == AccumulatorSpec.Rule.LOSS ? spec.offset() : 0));
        double floor = spec.b0() * spec.b0() / (spec.rule() == AccumulatorSpec.Rule.LOSS ? spec.alpha() : 1);
        double reference = Math.max(typicalLoss, floor);
        if (reference > 0 && d > recovery.getExplosionFactor() * reference) {
            return "the mini-batch loss " + loss + " exceeds " + recovery.getExplosionFactor()
                    + " times max(typical loss " + typicalLoss + ", floor b0^2/alpha " + floor + ")";
        }
        return null;
    }

    private void giveUpIfDue(Model model, int iteration, String reason) {
        if (consecutive + 1 > recovery.getMaxConsecutiveRejections()) {
            consecutive = 0;
            restore(model);
            throw new NonFiniteValueException(iteration, reason + "; gave up after "
                    + recovery.getMaxConsecutiveRejections() + " consecutive rejected steps (b = "
                    + Math.sqrt(bSquaredBefore) + ")", rolledBack());
        }
    }

    private String rolledBack() {
        return "parameters and updater state were rolled back to iteration " + snapshotIteration;
    }

    /** @return true when {@link #beforeUpdate} opened a step that {@link #commit} has not finished */
    boolean isOpen() {
        return open;
    }

    /**
     * Called by {@link GuardedStepFunction} in place of DL4J's {@code params -= step * update}: applies an accepted,
     * finite update, or rolls the network back to the snapshot (rejected step, non-finite update).
     */
    void commit(Model model, int iteration, INDArray parameters, INDArray update, double step,
                StepFunction delegate) {
        if (!open) {
            delegate.step(parameters, update, step);
            return;
        }
        open = false;
        if (rejection == null) {
            double sum = FiniteCheck.absSum(update);
            if (!Double.isFinite(sum)) {
                String reason = "the update is not finite (the sum of its magnitudes is " + sum + ")";
                if (!recovery.isEnabled() || spec == null) {
                    restore(model);
                    throw new NonFiniteValueException(iteration, reason, rolledBack());
                }
                giveUpIfDue(model, iteration, reason);
                rejection = reason;
            }
        }
        if (rejection != null) {
            reject(model, iteration);
            return;
        }
        delegate.step(parameters, update, step);
        updatesSinceSnapshot++;
        consecutive = 0;
        if (spec != null) {
            double d = Math.abs(loss - (spec.rule() == AccumulatorSpec.Rule.LOSS ? spec.offset() : 0));
            typicalLoss = Double.isNaN(typicalLoss) || rebaseline ? d
                    : (1 - TYPICAL_LOSS_WEIGHT) * typicalLoss + TYPICAL_LOSS_WEIGHT * d;
        }
        rebaseline = false;
    }

    private void reject(Model model, int iteration) {
        double grown = bSquaredBefore * recovery.getBGrowth();
        if (!NetworkStep.storable(members, grown)) {
            restore(model);
            throw new NonFiniteValueException(iteration, rejection + "; b^2 would become " + grown
                    + ", more than its state array can hold", rolledBack());
        }
        restore(model);
        NetworkStep.writeBSquared(members, grown);
        consecutive++;
        recoveries++;
        rebaseline = true;
        if (owner != null) {
            owner.countRejection();
        }
        log.warn("iteration {}: {}; step rejected, parameters and updater state rolled back to iteration {}, "
                        + "b {} -> {} (rejection {} in a row, {} on this network)", iteration, rejection,
                snapshotIteration, Math.sqrt(bSquaredBefore), Math.sqrt(grown), consecutive, recoveries);
        rejection = null;
    }

    private void snapshot(Model model, int iteration) {
        INDArray p = model.params();
        params = copyInto(params, p);
        INDArray s = UpdaterBlocks.stateView(model);
        state = s == null ? null : copyInto(state, s);
        snapshotIteration = iteration;
        hasSnapshot = true;
        updatesSinceSnapshot = 0;
    }

    private static INDArray copyInto(INDArray target, INDArray source) {
        if (target == null || target.length() != source.length() || target.dataType() != source.dataType()) {
            return source.dup();
        }
        return target.assign(source);
    }

    private void restore(Model model) {
        model.params().assign(params);
        INDArray s = UpdaterBlocks.stateView(model);
        if (s != null && state != null) {
            s.assign(state);
        }
        updatesSinceSnapshot = 0;
    }
}
