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
 * sum over the flattened gradient). With {@link Recovery#defaults()} a failing or exploding step under an
 * accumulator updater is rolled back; with {@link Recovery#failFast()} it throws {@link NonFiniteValueException}
 * and nothing changes. Per-network recovery state lives with the network's updater, so one instance can serve
 * any number of networks and threads, and the listener is {@link Serializable}. Training with AdaLoss,
 * AdaGradNorm or AdamLoss without it fails at the first step with an {@link IllegalStateException} that says how
 * to attach it. Networks with none of these updaters are left alone.
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
     *         executor counts its own)
     */
    public long getRecoveryCount() {
        return recoveries.get();
    }

    @Override
    public void onGradientCalculation(Model model) {
        List<NetworkStep.Member> members = UpdaterBlocks.networkStepMembers(model);
        if (members.isEmpty()) {
            return;
        }
        int iteration = UpdaterBlocks.iterationCount(model);
        double loss = model.score();
        AccumulatorSpec spec = NetworkStep.agreedSpec(members);
        if (!recovery.isEnabled() || spec == null) {
            double sum = gradientSum(model);
            if (!Double.isFinite(sum)) {
                throw new NonFiniteValueException(iteration, "the gradient is not finite (its sum is " + sum + ")");
            }
            NetworkStep.open(iteration, loss, members);
            return;
        }
        NetworkStepUpdater<?> holder = UpdaterBlocks.guardHolder(members);
        if (holder.guard().beforeUpdate(model, members, spec, recovery, iteration, loss)) {
            recoveries.incrementAndGet();
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        NetworkStepUpdater<?> holder = UpdaterBlocks.guardHolder(UpdaterBlocks.networkStepMembers(model));
        if (holder != null && holder.existingGuard() != null) {
            holder.existingGuard().afterUpdate(model);
        }
    }

    /** @return the sum of the network's flattened gradient: finite exactly when no entry is NaN or infinite
     *          (barring an overflow of the sum itself beyond the largest float) */
    static double gradientSum(Model model) {
        INDArray g = model.gradient() == null ? null : model.gradient().gradient();
        return g == null ? 0.0 : g.sumNumber().doubleValue();
    }

    @Override
    public String toString() {
        return "LossFeedListener(" + recovery + ")";
    }
}
