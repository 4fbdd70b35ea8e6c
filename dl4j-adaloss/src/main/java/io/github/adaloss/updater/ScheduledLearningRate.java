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
public abstract class ScheduledLearningRate implements IUpdater {

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

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = Hyperparameters.learningRate(getClass().getSimpleName(), lr, lrSchedule);
        this.learningRateSchedule = lrSchedule;
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
