package io.github.adaloss.updater;

import java.util.Objects;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The learning-rate part shared by every configuration of this package: a constant {@code learningRate} or an
 * {@link ISchedule} that replaces it, exactly as in DL4J's own updaters. All other fields of the subclasses are
 * final; the learning rate can only change through {@link IUpdater#setLrAndSchedule}, which DL4J itself calls
 * (for example {@code MultiLayerNetwork.setLearningRate}).
 */
abstract class ScheduledLearningRate implements IUpdater {

    private static final long serialVersionUID = 1L;

    /** Constant learning rate; ignored when {@link #learningRateSchedule} is set. */
    protected double learningRate;
    /** Optional learning-rate schedule; {@code null} for a constant learning rate. */
    protected ISchedule learningRateSchedule;

    /**
     * @param updater      the updater's name, for error messages
     * @param learningRate the constant learning rate (positive, finite) unless {@code schedule} is non-null
     * @param schedule     a schedule, or {@code null}
     */
    protected ScheduledLearningRate(String updater, double learningRate, ISchedule schedule) {
        this.learningRate = Hyperparameters.learningRate(updater, learningRate, schedule);
        this.learningRateSchedule = schedule;
    }

    /** @return the constant learning rate (meaningless when a schedule is set) */
    public double getLearningRate() {
        return learningRate;
    }

    /** @return the learning-rate schedule, or {@code null} */
    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule == null ? learningRate : learningRateSchedule.valueAt(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    /**
     * Called by DL4J's {@code setLearningRate}. A change for the whole network ({@code MultiLayerNetwork
     * .setLearningRate(double)}, {@code ComputationGraph.setLearningRate(double)} and their schedule variants) keeps
     * the updater state, b included. A change for one layer ({@code setLearningRate(int layer, ...)} /
     * {@code setLearningRate(String layerName, ...)}) is refused with an {@link UnsupportedOperationException}
     * before anything changes: it splits DL4J's updater blocks, and DL4J's {@code NetworkUtils
     * .rebuildUpdaterStateArray} can only carry over updater state whose length is a multiple of the parameter
     * count, which the O(1) accumulator state is not (DL4J would fail half-way and reset b to b0).
     */
    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (calledForOneLayer()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + ": changing the learning rate of "
                    + "one layer is not supported (DL4J would rebuild the updater blocks and reset the accumulator b "
                    + "to b0); nothing was changed. Change it for the whole network with net.setLearningRate(" + lr
                    + ") or configure per-layer learning rates before init().");
        }
        this.learningRate = Hyperparameters.learningRate(getClass().getSimpleName(), lr, lrSchedule);
        this.learningRateSchedule = lrSchedule;
    }

    /** @return whether the caller is DL4J's per-layer {@code setLearningRate(int|String layer, ...)} */
    private static boolean calledForOneLayer() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> f.getMethodName().equals("setLearningRate")
                        && (f.getClassName().equals("org.deeplearning4j.nn.multilayer.MultiLayerNetwork")
                        || f.getClassName().equals("org.deeplearning4j.nn.graph.ComputationGraph")))
                .anyMatch(f -> f.getMethodType().parameterCount() == 2));
    }

    /** @return true when the learning-rate fields of both configurations are equal */
    protected boolean sameLearningRate(ScheduledLearningRate other) {
        return Double.compare(learningRate, other.learningRate) == 0
                && Objects.equals(learningRateSchedule, other.learningRateSchedule);
    }

    /** @return a hash of the learning-rate fields */
    protected int learningRateHash() {
        return Objects.hash(learningRate, learningRateSchedule);
    }

    /** @return a description of the learning rate for {@code toString} */
    protected String learningRateString() {
        return learningRateSchedule == null ? "learningRate=" + learningRate : "learningRateSchedule=" + learningRateSchedule;
    }

    @Override
    public abstract ScheduledLearningRate clone();
}
