package io.github.adaloss.updater;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-network side of the step recovery described in {@link Recovery}: the snapshot of the parameters and
 * of the updater state, the largest accepted loss, and the rejection counters. One instance per network, held
 * by the network's first accumulator block (a plain Java field: never serialized, recreated with the updater),
 * so a {@link LossFeedListener} shared by threads or shipped to Spark executors stays stateless. Used only from
 * the thread that trains the network.
 */
final class NetworkGuard {

    private static final Logger log = LoggerFactory.getLogger(NetworkGuard.class);

    private INDArray params;
    private INDArray state;
    private int snapshotIteration;
    private boolean hasSnapshot;
    private double maxAcceptedLoss = Double.NaN;
    private int consecutive;
    private long recoveries;
    private boolean restoreAfterUpdate;
    private double grownBSquared;
    private List<NetworkStep.Member> rejectedMembers;

    /** @return how many steps were rejected on this network since its updater was created */
    long recoveries() {
        return recoveries;
    }

    /**
     * Called at {@code onGradientCalculation}: accepts the step (snapshot when due, opens the network step) or
     * rejects it (rollback, grown b, zero update).
     *
     * @return true when the step was rejected
     */
    boolean beforeUpdate(Model model, List<NetworkStep.Member> members, AccumulatorSpec spec, Recovery recovery,
                         int iteration, double loss) {
        restoreAfterUpdate = false;
        rejectedMembers = null;
        String reason = null;
        if (!Double.isFinite(loss)) {
            reason = "the mini-batch loss is " + loss;
        } else {
            double sum = LossFeedListener.gradientSum(model);
            if (!Double.isFinite(sum)) {
                reason = "the gradient is not finite (its sum is " + sum + ")";
            } else if (maxAcceptedLoss > 0 && loss > recovery.getExplosionFactor() * maxAcceptedLoss) {
                reason = "the mini-batch loss " + loss + " exceeds " + recovery.getExplosionFactor()
                        + " times the largest accepted loss " + maxAcceptedLoss;
            }
        }
        if (reason == null) {
            if (!hasSnapshot || iteration - snapshotIteration >= recovery.getSnapshotEvery()) {
                snapshot(model, iteration);
            }
            NetworkStep.open(iteration, loss, members);
            consecutive = 0;
            maxAcceptedLoss = Double.isNaN(maxAcceptedLoss) ? loss : Math.max(maxAcceptedLoss, loss);
            return false;
        }
        if (!hasSnapshot) {
            throw new NonFiniteValueException(iteration, reason + " at the first step this loss feed saw on this "
                    + "network, so there is no snapshot to roll back to");
        }
        double before = NetworkStep.currentBSquared(members);
        restore(model);
        if (++consecutive > recovery.getMaxConsecutiveRejections()) {
            consecutive = 0;
            throw new NonFiniteValueException(iteration, reason + "; gave up after "
                    + recovery.getMaxConsecutiveRejections() + " consecutive rejected steps (b = " + Math.sqrt(before)
                    + "); parameters and updater state were rolled back to iteration " + snapshotIteration);
        }
        double grown = before * recovery.getBGrowth();
        if (!NetworkStep.storable(members, grown)) {
            throw new NonFiniteValueException(iteration, reason + "; b^2 would become " + grown
                    + "; parameters and updater state were rolled back to iteration " + snapshotIteration);
        }
        NetworkStep.writeBSquared(members, grown);
        recoveries++;
        log.warn("iteration {}: {}; step rejected, parameters and updater state rolled back to iteration {}, "
                        + "b {} -> {} (rejection {} in a row, {} on this network)", iteration, reason,
                snapshotIteration, Math.sqrt(before), Math.sqrt(grown), consecutive, recoveries);
        restoreAfterUpdate = true;
        grownBSquared = grown;
        rejectedMembers = members;
        NetworkStep.openRejected(iteration, members);
        return true;
    }

    /** Called at {@code iterationDone}: undoes whatever DL4J applied during a rejected step. */
    void afterUpdate(Model model) {
        if (!restoreAfterUpdate) {
            return;
        }
        restoreAfterUpdate = false;
        restore(model);
        NetworkStep.writeBSquared(rejectedMembers, grownBSquared);
        rejectedMembers = null;
    }

    private void snapshot(Model model, int iteration) {
        INDArray p = model.params();
        params = copyInto(params, p);
        INDArray s = UpdaterBlocks.stateView(model);
        state = s == null ? null : copyInto(state, s);
        snapshotIteration = iteration;
        hasSnapshot = true;
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
    }
}
