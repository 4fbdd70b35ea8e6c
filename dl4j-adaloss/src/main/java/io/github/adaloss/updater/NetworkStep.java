package io.github.adaloss.updater;

import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training step of one network, shared by all of its {@link NetworkStepUpdater} blocks.
 *
 * <p>Life cycle, inside DL4J's {@code fit}:
 * <ol>
 *   <li>{@link #open} (from {@link io.github.adaloss.feed.LossFeedListener#onGradientCalculation}) records the
 *       iteration, the epoch and the mini-batch loss {@code l_t} measured at the pre-update parameters, checks
 *       that the accumulator blocks agree on one {@link AccumulatorSpec}, and attaches itself to every block;</li>
 *   <li>DL4J calls {@code applyUpdater} block by block; each call only <em>validates</em> its gradient (finite;
 *       its L2 norm must be finite, which AdaGrad-Norm also sums) and registers it;</li>
 *   <li>when the last block has arrived, the step computes {@code b_{t+1}^2 = b_t^2 + increment} once for the
 *       network and commits every block ({@link NetworkStepUpdater#commit}).</li>
 * </ol>
 * A NaN or infinite loss, gradient or accumulator throws {@link NonFiniteValueException} before anything is
 * written, so the parameters (DL4J subtracts the update only after all blocks) and all updater state stay
 * unchanged. Not thread-safe: one step belongs to one network on one thread, as DL4J's own updater is.
 */
public final class NetworkStep {

    /**
     * A block taking part in the step, with a label for error messages (for example its layers), computed only
     * when a message needs it.
     *
     * @param updater the block's updater
     * @param labeler supplies the label
     */
    public record Member(NetworkStepUpdater<?> updater, Supplier<String> labeler) {

        /**
         * @param updater the block's updater
         * @param label   its label
         */
        public Member(NetworkStepUpdater<?> updater, String label) {
            this(updater, () -> label);
        }

        /** @return the label */
        public String label() {
            return labeler.get();
        }
    }

    private final int iteration;
    private final double loss;
    private final List<Member> members;
    private final AccumulatorSpec spec;
    private final INDArray[] gradients;
    private double gradientSquaredNorm;
    private int arrived;
    private boolean finished;

    private NetworkStep(int iteration, double loss, List<Member> members, AccumulatorSpec spec) {
        this.iteration = iteration;
        this.loss = loss;
        this.members = members;
        this.spec = spec;
        this.gradients = new INDArray[members.size()];
    }

    /**
     * Opens the step of {@code iteration} for the given blocks and attaches it to each of them.
     *
     * @param iteration the iteration DL4J will pass to {@code applyUpdater}
     * @param loss      the current mini-batch's loss at the pre-update parameters ({@code model.score()})
     * @param members   every {@link NetworkStepUpdater} block of the network, in any order
     * @return the opened step
     * @throws IllegalStateException   if two accumulator blocks disagree on their {@link AccumulatorSpec}
     * @throws NonFiniteValueException if the loss is not finite and a block's accumulator uses it
     */
    public static NetworkStep open(int iteration, double loss, List<Member> members) {
        AccumulatorSpec spec = null;
        String specOwner = null;
        for (Member m : members) {
            AccumulatorSpec s = m.updater().accumulatorSpec();
            if (s == null) {
                continue;
            }
            if (spec == null) {
                spec = s;
                specOwner = m.label();
            } else if (!spec.equals(s)) {
                throw new IllegalStateException("One network shares one accumulator b, but updater blocks disagree: "
                        + specOwner + " has " + spec + " while " + m.label() + " has " + s
                        + ". Use the same b0/alpha/offset and the same AdaLoss-family updater for every layer "
                        + "(learning rates may differ).");
            }
        }
        if (spec != null && spec.rule() == AccumulatorSpec.Rule.LOSS && !Double.isFinite(loss)) {
            throw new NonFiniteValueException(iteration, "the mini-batch loss is " + loss);
        }
        NetworkStep step = new NetworkStep(iteration, loss, List.copyOf(members), spec);
        for (Member m : step.members) {
            m.updater().attach(step);
        }
        return step;
    }

    /** @return the iteration this step belongs to */
    public int iteration() {
        return iteration;
    }

    /** @return the loss this step was opened with */
    public double loss() {
        return loss;
    }

    /** @return true once every block has been committed */
    public boolean isFinished() {
        return finished;
    }

    /** Runs a block that takes part in no network step (an updater without accumulator, no feed attached). */
    static void standalone(NetworkStepUpdater<?> updater, INDArray gradient, int iteration, int epoch) {
        double norm = gradient.norm2Number().doubleValue();
        if (!Double.isFinite(norm)) {
            throw new NonFiniteValueException(iteration, "the gradient of a " + updater.getConfig().getClass()
                    .getSimpleName() + " updater block is not finite (its L2 norm is " + norm + ")");
        }
        updater.commit(gradient, Double.NaN, iteration, epoch);
    }

    void contribute(NetworkStepUpdater<?> updater, INDArray gradient, int epoch) {
        if (finished) {
            throw new IllegalStateException("iteration " + iteration + ": the network step was already committed");
        }
        int index = indexOf(updater);
        if (gradients[index] != null) {
            throw new IllegalStateException("iteration " + iteration + ": updater block " + members.get(index).label()
                    + " was applied twice in one step");
        }
        try {
            validate(index, gradient);
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
        gradients[index] = gradient;
        if (++arrived == members.size()) {
            commitAll(epoch);
        }
    }

    private void validate(int index, INDArray gradient) {
        // One vectorized reduction serves both purposes: NaN and infinities propagate into the norm, and
        // AdaGrad-Norm needs the squared norm anyway.
        double norm = gradient.norm2Number().doubleValue();
        if (!Double.isFinite(norm)) {
            throw new NonFiniteValueException(iteration, "the gradient of updater block " + members.get(index).label()
                    + " is not finite (its L2 norm is " + norm + ")");
        }
        if (spec != null && spec.rule() == AccumulatorSpec.Rule.GRADIENT_NORM
                && members.get(index).updater().accumulatorSpec() != null) {
            gradientSquaredNorm += norm * norm;
        }
    }

    private void commitAll(int epoch) {
        double bSquared = Double.NaN;
        if (spec != null) {
            double before = firstAccumulatorBSquared();
            bSquared = before + spec.increment(loss, gradientSquaredNorm);
            if (!Double.isFinite(bSquared)) {
                abandon();
                throw new NonFiniteValueException(iteration, "the accumulator b^2 would become " + bSquared);
            }
        }
        for (int i = 0; i < members.size(); i++) {
            NetworkStepUpdater<?> u = members.get(i).updater();
            if (u.accumulatorSpec() != null) {
                u.writeBSquared(bSquared);
            }
            u.commit(gradients[i], bSquared, iteration, epoch);
        }
        finished = true;
        abandon();
    }

    private double firstAccumulatorBSquared() {
        for (Member m : members) {
            if (m.updater().accumulatorSpec() != null) {
                return m.updater().currentBSquared();
            }
        }
        throw new IllegalStateException("no accumulator block");
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

    private void abandon() {
        for (Member m : members) {
            m.updater().detach(this);
        }
        for (int i = 0; i < gradients.length; i++) {
            gradients[i] = null;
        }
    }

}
