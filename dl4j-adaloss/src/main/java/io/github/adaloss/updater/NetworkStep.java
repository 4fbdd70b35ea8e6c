package io.github.adaloss.updater;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * One training step of one network, shared by all of its {@link NetworkStepUpdater} blocks.
 *
 * <p>Life cycle, inside DL4J's {@code fit}:
 * <ol>
 *   <li>{@link #open} (from {@link LossFeedListener#onGradientCalculation}, after the listener checked that the
 *       loss and the network's gradient are finite) records the iteration and the mini-batch loss {@code l_t}
 *       measured at the pre-update parameters, checks that the accumulator blocks agree on one
 *       {@link AccumulatorSpec}, computes {@code b_{t+1}^2 = b_t^2 + alpha |l_t - c|} for the loss rule, and
 *       attaches itself to every block;</li>
 *   <li>DL4J calls {@code applyUpdater} block by block. Loss-rule blocks (AdaLoss, AdamLoss) and blocks without
 *       accumulator (HeavyBall) commit at once, so DL4J's post-updater regularization (weight decay) sees the
 *       finished update, exactly as with DL4J's own updaters. AdaGrad-Norm blocks need the squared gradient norm
 *       of every block before {@code b_{t+1}} is known: they register their gradient and the last one to arrive
 *       commits them all; a block that DL4J has already decayed meanwhile is restored from a copy of its
 *       gradient, committed, and decayed again by the same DL4J call, so the result is bit-identical to one
 *       block.</li>
 * </ol>
 * A NaN or infinite loss (loss rule) or accumulator throws {@link NonFiniteValueException} from {@link #open},
 * before anything is written; so does a non-finite AdaGrad-Norm block gradient, before any AdaGrad-Norm block is
 * committed. Not thread-safe: one step belongs to one network on one thread, as DL4J's own updater is.
 */
final class NetworkStep implements UpdateStep {

    /**
     * A block taking part in the step, with a label for error messages (computed only when a message needs it)
     * and, when known, DL4J's block (to re-apply its post-updater regularization after a deferred commit).
     *
     * @param updater the block's updater
     * @param labeler supplies the label
     * @param block   DL4J's updater block, or {@code null}
     */
    record Member(NetworkStepUpdater<?> updater, Supplier<String> labeler, UpdaterBlock block) {

        Member(NetworkStepUpdater<?> updater, String label) {
            this(updater, () -> label, null);
        }

        String label() {
            return labeler.get();
        }
    }

    private final int iteration;
    private final double loss;
    private final List<Member> members;
    private final AccumulatorSpec spec;
    private final boolean rejected;
    private final double nextBSquared;
    private final INDArray[] deferred;
    private final INDArray[] stashed;
    private final boolean[] seen;
    private int pendingDeferred;
    private double gradientSquaredNorm;
    private int arrived;
    private boolean finished;

    private NetworkStep(int iteration, double loss, List<Member> members, AccumulatorSpec spec, boolean rejected,
                        double nextBSquared) {
        this.iteration = iteration;
        this.loss = loss;
        this.members = members;
        this.spec = spec;
        this.rejected = rejected;
        this.nextBSquared = nextBSquared;
        this.deferred = new INDArray[members.size()];
        this.stashed = new INDArray[members.size()];
        this.seen = new boolean[members.size()];
        if (!rejected && spec != null && spec.rule() == AccumulatorSpec.Rule.GRADIENT_NORM) {
            for (Member m : members) {
                if (m.updater().accumulatorSpec() != null) {
                    pendingDeferred++;
                }
            }
        }
    }

    /**
     * Opens the step of {@code iteration} for the given blocks and attaches it to each of them.
     *
     * @param iteration the iteration DL4J will pass to {@code applyUpdater}
     * @param loss      the current mini-batch's loss at the pre-update parameters ({@code model.score()})
     * @param members   every {@link NetworkStepUpdater} block of the network that DL4J will update, in any order
     * @return the opened step
     * @throws IllegalStateException   if two accumulator blocks disagree on their {@link AccumulatorSpec}
     * @throws NonFiniteValueException if the loss is not finite and a block's accumulator uses it
     */
    static NetworkStep open(int iteration, double loss, List<Member> members) {
        AccumulatorSpec spec = agreedSpec(members);
        double next = Double.NaN;
        if (spec != null && spec.rule() == AccumulatorSpec.Rule.LOSS) {
            if (!Double.isFinite(loss)) {
                throw new NonFiniteValueException(iteration, "the mini-batch loss is " + loss);
            }
            next = currentBSquared(members) + spec.increment(loss, 0);
            if (!storable(members, next)) {
                throw new NonFiniteValueException(iteration, "the accumulator b^2 would become " + next
                        + ", more than its state array can hold");
            }
        }
        return attachAll(new NetworkStep(iteration, loss, List.copyOf(members), spec, false, next));
    }

    /**
     * Opens a rejected step: every block turns its gradient into a zero update and no state changes.
     *
     * @param iteration the iteration DL4J will pass to {@code applyUpdater}
     * @param members   the blocks of the network
     * @return the opened step
     */
    static NetworkStep openRejected(int iteration, List<Member> members) {
        return attachAll(new NetworkStep(iteration, Double.NaN, List.copyOf(members), agreedSpec(members), true,
                Double.NaN));
    }

    private static NetworkStep attachAll(NetworkStep step) {
        for (Member m : step.members) {
            m.updater().attach(step);
        }
        return step;
    }

    /** @return the accumulator spec every accumulator member agrees on, or {@code null} if none has one */
    static AccumulatorSpec agreedSpec(List<Member> members) {
        AccumulatorSpec spec = null;
        Member owner = null;
        for (Member m : members) {
            AccumulatorSpec s = m.updater().accumulatorSpec();
            if (s == null) {
                continue;
            }
            if (spec == null) {
                spec = s;
                owner = m;
            } else if (!spec.equals(s)) {
                throw new IllegalStateException("One network shares one accumulator b, but updater blocks disagree: "
                        + owner.label() + " has " + spec + " while " + m.label() + " has " + s
                        + ". Use the same b0/alpha/offset and the same AdaLoss-family updater for every layer "
                        + "(learning rates may differ).");
            }
        }
        return spec;
    }

    /** @return {@code b_t^2} of the first accumulator member, NaN if there is none */
    static double currentBSquared(List<Member> members) {
        for (Member m : members) {
            if (m.updater().accumulatorSpec() != null) {
                return m.updater().currentBSquared();
            }
        }
        return Double.NaN;
    }

    /** @return whether {@code b^2 = value} is finite and fits the state view of every accumulator member */
    static boolean storable(List<Member> members, double value) {
        if (!Double.isFinite(value)) {
            return false;
        }
        for (Member m : members) {
            if (m.updater().accumulatorSpec() != null && Math.abs(value) > m.updater().maxBSquared()) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code b^2} into every accumulator member. */
    static void writeBSquared(List<Member> members, double value) {
        for (Member m : members) {
            if (m.updater().accumulatorSpec() != null) {
                m.updater().writeBSquared(value);
            }
        }
    }

    @Override
    public int iteration() {
        return iteration;
    }

    /** @return the loss this step was opened with (NaN for a rejected step) */
    double loss() {
        return loss;
    }

    /** @return true once every block has been applied */
    boolean isFinished() {
        return finished;
    }

    /** Runs a block that takes part in no network step (an updater without accumulator, no feed attached). */
    static void standalone(NetworkStepUpdater<?> updater, INDArray gradient, int iteration, int epoch) {
        double sum = FiniteCheck.absSum(gradient);
        if (!Double.isFinite(sum)) {
            throw new NonFiniteValueException(iteration, "the gradient of a " + updater.getConfig().getClass()
                    .getSimpleName() + " updater block is not finite (the sum of its magnitudes is " + sum + ")");
        }
        updater.commit(gradient, Double.NaN, iteration, epoch);
    }

    @Override
    public void contribute(NetworkStepUpdater<?> updater, INDArray gradient, int epoch) {
        if (finished) {
            throw new IllegalStateException("iteration " + iteration + ": the network step was already committed");
        }
        int index = indexOf(updater);
        if (seen[index]) {
            throw new IllegalStateException("iteration " + iteration + ": updater block " + members.get(index).label()
                    + " was applied twice in one step");
        }
        seen[index] = true;
        boolean last = ++arrived == members.size();
        if (rejected) {
            gradient.assign(0);
        } else if (updater.accumulatorSpec() == null) {
            updater.commit(gradient, Double.NaN, iteration, epoch);
        } else if (spec.rule() == AccumulatorSpec.Rule.LOSS) {
            updater.writeBSquared(nextBSquared);
            updater.commit(gradient, nextBSquared, iteration, epoch);
        } else {
            defer(index, gradient, epoch);
        }
        if (last) {
            finished = true;
            detachAll();
        }
    }

    private void defer(int index, INDArray gradient, int epoch) {
        double squared = FiniteCheck.squaredNorm(gradient);
        if (!Double.isFinite(squared)) {
            detachAll();
            throw new NonFiniteValueException(iteration, "the gradient of updater block " + members.get(index).label()
                    + " is not finite (its squared L2 norm is " + squared + ")");
        }
        gradientSquaredNorm += squared;
        deferred[index] = gradient;
        if (--pendingDeferred > 0) {
            // DL4J adds this block's weight decay to its gradient view as soon as applyUpdater returns
            if (hasPostUpdaterRegularization(members.get(index).block())) {
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    stashed[index] = gradient.dup();
                }
            }
            return;
        }
        double bSquared = currentBSquared(members) + spec.increment(loss, gradientSquaredNorm);
        if (!storable(members, bSquared)) {
            detachAll();
            throw new NonFiniteValueException(iteration, "the accumulator b^2 would become " + bSquared);
        }
        for (int i = 0; i < members.size(); i++) {
            if (deferred[i] == null) {
                continue;
            }
            NetworkStepUpdater<?> u = members.get(i).updater();
            if (stashed[i] != null) {
                deferred[i].assign(stashed[i]);
            }
            u.writeBSquared(bSquared);
            u.commit(deferred[i], bSquared, iteration, epoch);
            if (stashed[i] != null) {
                reapplyPostUpdaterRegularization(members.get(i).block(), u, epoch);
            }
        }
    }

    private static boolean hasPostUpdaterRegularization(UpdaterBlock block) {
        if (block == null) {
            return false;
        }
        for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
            List<Regularization> regs = p.getLayer().getConfig().getRegularizationByParam(p.getParamName());
            if (regs != null) {
                for (Regularization r : regs) {
                    if (r.applyStep() == Regularization.ApplyStep.POST_UPDATER) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The same calls as DL4J's {@code UpdaterBlock.applyRegularizationAllVariables(POST_UPDATER, ...)}. */
    private void reapplyPostUpdaterRegularization(UpdaterBlock block, NetworkStepUpdater<?> u, int epoch) {
        double lr = u.getConfig().hasLearningRate() ? u.getConfig().getLearningRate(iteration, epoch) : 1.0;
        for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
            List<Regularization> regs = p.getLayer().getConfig().getRegularizationByParam(p.getParamName());
            if (regs != null) {
                for (Regularization r : regs) {
                    if (r.applyStep() == Regularization.ApplyStep.POST_UPDATER) {
                        r.apply(p.getParamView(), p.getGradView(), lr, iteration, epoch);
                    }
                }
            }
        }
    }

    private int indexOf(NetworkStepUpdater<?> updater) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).updater() == updater) {
                return i;
            }
        }
        throw new IllegalStateException("iteration " + iteration + ": an updater block that was not part of the "
                + "network step was applied; was the updater replaced after the loss feed ran?");
    }

    private void detachAll() {
        for (Member m : members) {
            m.updater().detach(this);
        }
        for (int i = 0; i < deferred.length; i++) {
            deferred[i] = null;
            stashed[i] = null;
        }
    }
}
