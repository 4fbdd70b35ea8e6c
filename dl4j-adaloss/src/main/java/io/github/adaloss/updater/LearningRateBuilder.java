package io.github.adaloss.updater;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * The part every builder of this package shares: the learning rate {@code eta}, a constant or a schedule that
 * replaces it. Values are validated by the configuration's constructor when {@code build()} is called.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class LearningRateBuilder<B extends LearningRateBuilder<B>> {

    /** The constant learning rate (ignored when a schedule is set). */
    protected double learningRate;
    /** The learning-rate schedule, or {@code null}. */
    protected ISchedule learningRateSchedule;

    /** @param defaultLearningRate the configuration's {@code DEFAULT_LEARNING_RATE} */
    LearningRateBuilder(double defaultLearningRate) {
        this.learningRate = defaultLearningRate;
    }

    /** @return this builder, as its concrete type */
    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }

    /** @param value {@code eta > 0} @return this */
    public B learningRate(double value) {
        this.learningRate = value;
        return self();
    }

    /** @param value a schedule for {@code eta} (replaces the constant) @return this */
    public B learningRateSchedule(ISchedule value) {
        this.learningRateSchedule = value;
        return self();
    }
}
