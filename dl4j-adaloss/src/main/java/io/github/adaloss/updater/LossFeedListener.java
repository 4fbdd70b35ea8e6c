package io.github.adaloss.updater;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hands each training step's mini-batch loss to the network's AdaLoss-family updater blocks, ties those blocks
 * into one network step so that they share one accumulator {@code b}, and rejects steps that overshoot
 * (see {@link Recovery}).
 *
 * <p>Why a listener: DL4J's {@code GradientUpdater.applyUpdater(gradient, iteration, epoch)} receives neither the
 * loss nor the network, and {@code TrainingListener.onGradientCalculation} is the one hook that runs after the
 * loss and gradient of a mini-batch are computed and before the updater runs (at that point
 * {@code model.score()} is the loss of the current mini-batch at the pre-update parameters, regularization
 * included). Usage:
 * <pre>{@code
 *   net.addListeners(new LossFeedListener());   // MultiLayerNetwork or ComputationGraph
 *   wrapper.setListeners(new LossFeedListener()); // ParallelWrapper (one instance shared by the workers)
 *   sparkNet.setListeners(new LossFeedListener()); // Spark (serialized to the executors)
 *   net.addListeners(new LossFeedListener(Recovery.failFast()));   // throw instead of rolling back
 * }</pre>
 *
 * <p>At every step it checks, before any updater runs, that the loss and the network's gradient are finite (one
 * sum over the flattened gradient), and, in DL4J's step function after every updater block, that the update is
 * finite. With {@link Recovery#defaults()} a failing or exploding step under an accumulator updater is rejected
 * and the network rolled back before any listener's {@code iterationDone}, whatever the listener order (see
 * {@link GuardedStepFunction}); with {@link Recovery#failFast()} it throws {@link NonFiniteValueException}.
 * Two feeds on one network (two instances, or one added twice: DL4J keeps duplicates) take one step: the first
 * claims it, the others do nothing. Per-network recovery state lives with the network's updater, so one instance
 * can serve any number of networks and threads, and the listener is {@link Serializable}. Training with AdaLoss,
 * AdaGradNorm or AdamLoss without it fails at the first step with an {@link IllegalStateException} that says how
 * to attach it. Networks with none of this package's updaters are left alone. Needs DL4J's
 * {@code StochasticGradientDescent} optimizer (the default); any other is refused at the first step.
 */
public class LossFeedListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 2L;

    private final Recovery recovery;
    private final AtomicLong recoveries = new AtomicLong();

    /** A loss feed with the default step recovery ({@link Recovery#defaults()}). */
    public LossFeedListener() {
        this(Recovery.defaults());
    }

    /** @param recovery what to do with overshooting steps, e.g. {@link Recovery#failFast()} */
    public LossFeedListener(Recovery recovery) {
        this.recovery = Objects.requireNonNull(recovery, "recovery");
    }

    /** @return the recovery options */
    public Recovery getRecovery() {
        return recovery;
    }

    /**
     * @return how many steps this listener has rejected, over every network it served (in this JVM: a Spark
     *         executor counts its own); a step claimed by another feed of the same network counts there
     */
    public long getRecoveryCount() {
        return recoveries.get();
    }

    /** Counts one rejection of a step this listener claimed (called by the network's guard). */
    void countRejection() {
        recoveries.incrementAndGet();
    }

    @Override
    public void onGradientCalculation(Model model) {
        List<NetworkStep.Member> members = UpdaterBlocks.networkStepMembers(model);
        if (members.isEmpty()) {
            return;
        }
        int iteration = UpdaterBlocks.iterationCount(model);
        NetworkGuard guard = UpdaterBlocks.guardHolder(members).guard();
        if (!guard.claim(model, iteration, this)) {
            return; // a second loss feed on this network, or this one added twice: the step is already handled
        }
        AccumulatorSpec spec = NetworkStep.agreedSpec(members);
        guard.beforeUpdate(model, members, spec, recovery, iteration, model.score());
        GuardedStepFunction.install(model, guard, iteration);
    }

    /**
     * Checks that the step was committed through the guarded step function (it always is with DL4J's
     * StochasticGradientDescent); if some other code path applied the update, training stops here instead of
     * continuing unguarded.
     */
    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        NetworkStepUpdater<?> holder = UpdaterBlocks.firstMemberBlock(model);
        NetworkGuard guard = holder == null ? null : holder.existingGuard();
        if (guard != null && guard.isOpen()) {
            throw new IllegalStateException("iteration " + iteration + ": the update was applied without passing "
                    + "the loss feed's guard (an optimizer other than DL4J's StochasticGradientDescent, or a "
                    + "gradients accumulator?); the step could not be checked");
        }
    }

    /** @return the sum of magnitudes of the network's flattened gradient, see {@code FiniteCheck.absSum} */
    static double gradientSum(Model model) {
        INDArray g = model.gradient() == null ? null : model.gradient().gradient();
        return g == null ? 0.0 : FiniteCheck.absSum(g);
    }

    @Override
    public String toString() {
        return "LossFeedListener(" + recovery + ")";
    }
}
