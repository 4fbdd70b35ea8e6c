package io.github.adaloss.updater;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The loss feed of the AdaLoss family for SameDiff, DL4J's graph API: {@code sd.fit(...)} with
 * {@code TrainingConfig.builder().updater(new AdaLoss())} (or {@link AdaGradNorm}, {@link AdamLoss},
 * {@link HeavyBall}) trains with ONE accumulator {@code b} for the whole graph and the same updates as a
 * MultiLayerNetwork with {@link LossFeedListener}.
 * <pre>{@code
 *   sd.setTrainingConfig(TrainingConfig.builder().updater(new AdaLoss())
 *           .dataSetFeatureMapping("in").dataSetLabelMapping("label").build());
 *   sd.addListeners(new SameDiffLossFeedListener());            // or new SameDiffLossFeedListener(Recovery.failFast())
 *   sd.fit(trainIterator, epochs);
 * }</pre>
 *
 * <p><b>Why the updates are deferred.</b> SameDiff's {@code TrainingSession} creates one {@code GradientUpdater}
 * per trainable variable and applies each as soon as that variable's gradient exists
 * (regularization, {@code applyUpdater}, weight decay, {@code Listener.preUpdate}, {@code param.subi(update)}),
 * before the other gradients are computed; the loss is complete only at {@code iterationDone}. AdaGrad-Norm's
 * {@code b_{t+1}} needs the norm of every gradient, and no update may be applied before a NaN in a later gradient
 * is seen. So this listener defers the step: each updater only copies its gradient (one copy of the parameters
 * in memory), {@link #preUpdate} replaces SameDiff's in-line update by zero, and {@link #iterationDone} computes
 * the loss {@code l_t} (the graph's loss variables summed, plus the regularization score at the pre-update
 * variables, as a MultiLayerNetwork's {@code score()}; the loss variables by one more forward pass, because SameDiff
 * 1.0.0-M2.1 does not run the loss ops while it trains and reports 0, and random ops such as dropout draw anew in
 * that pass; skipped when nothing needs the loss), checks loss and gradients, grows {@code b} once, turns
 * each gradient into its update (post-updater regularization included, as SameDiff orders it), checks the
 * updates, and only then changes the variables. The updates are those of the AdaLoss-family updaters' equations
 * with all gradients taken at {@code w_t}, exactly the MultiLayerNetwork algorithm (SameDiff's in-line order
 * gives the same gradients, since a variable's gradient is final only after every op that reads the variable ran).
 *
 * <p><b>Recovery.</b> As {@link LossFeedListener}, see {@link Recovery}: with the defaults, a non-finite loss,
 * gradient or update or an exploding loss rolls back the variables and updater state to the last snapshot and
 * grows {@code b^2} by {@code bGrowth}; with {@link Recovery#failFast()}, or under HeavyBall alone, such a step
 * throws {@link NonFiniteValueException} and the variables and updater state are unchanged (as for an accumulator
 * {@code b^2} that would overflow its state array, whatever the recovery) (fail-fast copies the
 * updater state before each commit to restore it if an update turns out non-finite).
 *
 * <p><b>State.</b> {@code b^2} lives in every variable's updater state (the same value in each), so
 * {@code sd.save(file, true)} saves it and {@code SameDiff.load(file, true)} resumes bit-identically; the
 * recovery state (snapshot, largest accepted loss) is not saved, as with {@link LossFeedListener}. Listeners are
 * not saved either: add this one again after loading.
 *
 * <p><b>Limits.</b> Other listeners' {@code preUpdate} see a zero update (the real one is applied at
 * {@code iterationDone}), and listeners whose {@code iterationDone} runs before this one see the variables before
 * the update: add this listener first. The per-graph state (gradient copies, recovery) is held by the graph's
 * first updater, so one instance may serve several graphs, each trained by one thread at a time. Graphs trained with another updater are left alone.
 */
public class SameDiffLossFeedListener extends BaseListener {

    private final Recovery recovery;
    private final AtomicLong recoveryCount = new AtomicLong();
    private final ThreadLocal<Current> current = new ThreadLocal<>();

    /** The graph and step of the iteration in progress on one thread. */
    private static final class Current {
        final SameDiff sd;
        final int iteration;
        GraphStep step;
        boolean opened;

        Current(SameDiff sd, int iteration) {
            this.sd = sd;
            this.iteration = iteration;
        }
    }

    /** A loss feed with the default step recovery ({@link Recovery#defaults()}). */
    public SameDiffLossFeedListener() {
        this(Recovery.defaults());
    }

    /** @param recovery what to do with overshooting steps, e.g. {@link Recovery#failFast()} */
    public SameDiffLossFeedListener(Recovery recovery) {
        this.recovery = Objects.requireNonNull(recovery, "recovery");
    }

    /** @return the recovery options */
    public Recovery getRecovery() {
        return recovery;
    }

    /** @return how many steps this listener has rejected, over every graph it served */
    public long getRecoveryCount() {
        return recoveryCount.get();
    }

    /**
     * @param sd a graph this listener trained
     * @return the loss {@code l_t} of the last step of that graph (loss variables plus regularization score, at
     *         the variables before that step's update); NaN before the first step and when the step did not need
     *         the loss (AdaGrad-Norm with {@link Recovery#failFast()}, HeavyBall)
     */
    public double lastLoss(SameDiff sd) {
        GraphTrainer t = GraphTrainer.of(sd);
        return t == null ? Double.NaN : t.lastLoss();
    }

    /** Active during training only (not validation, inference or evaluation). */
    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
        current.set(new Current(sd, at.iteration()));
    }

    /** Opens the step before the first op of the iteration (SameDiff creates its updaters after iterationStart). */
    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        Current c = current.get();
        if (c != null && !c.opened) {
            c.opened = true;
            c.step = GraphTrainer.open(c.sd, c.iteration);
        }
    }

    /** Replaces SameDiff's in-line update by zero: the real update is applied at {@link #iterationDone}. */
    @Override
    public void preUpdate(SameDiff sd, At at, Variable v, INDArray update) {
        Current c = current.get();
        if (c != null && c.step != null && c.step.contributed(v.getName())) {
            update.assign(0);
        }
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
        Current c = current.get();
        current.remove();
        if (c == null || c.step == null) {
            return;
        }
        if (c.step.trainer().finish(c.sd, c.step, () -> dataLoss(c.sd, dataSet), recovery)) {
            recoveryCount.incrementAndGet();
        }
    }

    /**
     * The mini-batch loss at the variables of this step (still unchanged, the update being deferred): one forward
     * pass to the loss variables. SameDiff 1.0.0-M2.1 does not execute the loss ops during training (its gradient
     * starts from a constant one, and e.g. {@code softmax_cross_entropy_loss_grad} does not read the loss), so the
     * {@code Loss} it hands to {@code iterationDone} holds 0 for such a loss.
     */
    static double dataLoss(SameDiff sd, MultiDataSet batch) {
        List<String> names = sd.getLossVariables();
        Map<String, INDArray> out = sd.output(batch, names.toArray(new String[0]));
        double sum = 0;
        for (String name : names) {
            INDArray a = out.get(name);
            sum += a.isScalar() ? a.getDouble(0) : a.sumNumber().doubleValue();
        }
        return sum;
    }

    @Override
    public String toString() {
        return "SameDiffLossFeedListener(" + recovery + ")";
    }
}
