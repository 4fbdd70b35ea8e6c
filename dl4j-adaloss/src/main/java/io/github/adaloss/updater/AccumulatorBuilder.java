package io.github.adaloss.updater;

/**
 * The builder part of the accumulator updaters ({@link AdaLoss}, {@link AdaGradNorm}, {@link AdamLoss}): the learning
 * rate and the initial accumulator {@code b0}.
 *
 * @param <B> the concrete builder
 */
public abstract class AccumulatorBuilder<B extends AccumulatorBuilder<B>> extends LearningRateBuilder<B> {

    /** The initial accumulator. */
    protected double b0;

    /**
     * @param defaultLearningRate the configuration's {@code DEFAULT_LEARNING_RATE}
     * @param defaultB0           its {@code DEFAULT_B0}
     */
    AccumulatorBuilder(double defaultLearningRate, double defaultB0) {
        super(defaultLearningRate);
        this.b0 = defaultB0;
    }

    /** @param value {@code b0 > 0} @return this */
    public B b0(double value) {
        this.b0 = value;
        return self();
    }
}
