package io.github.adaloss.updater;

/**
 * The builder part of the loss-driven updaters ({@link AdaLoss}, {@link AdamLoss}): learning rate, {@code b0}, and
 * the loss scale {@code alpha} and offset {@code c} of {@code b_{t+1}^2 = b_t^2 + alpha |l_t - c|}.
 *
 * @param <B> the concrete builder
 */
public abstract class LossAccumulatorBuilder<B extends LossAccumulatorBuilder<B>> extends AccumulatorBuilder<B> {

    /** The loss scale. */
    protected double alpha;
    /** The loss offset. */
    protected double offset;

    /**
     * @param defaultLearningRate the configuration's {@code DEFAULT_LEARNING_RATE}
     * @param defaultB0           its {@code DEFAULT_B0}
     * @param defaultAlpha        its {@code DEFAULT_ALPHA}
     * @param defaultOffset       its {@code DEFAULT_OFFSET}
     */
    LossAccumulatorBuilder(double defaultLearningRate, double defaultB0, double defaultAlpha, double defaultOffset) {
        super(defaultLearningRate, defaultB0);
        this.alpha = defaultAlpha;
        this.offset = defaultOffset;
    }

    /** @param value {@code alpha > 0} @return this */
    public B alpha(double value) {
        this.alpha = value;
        return self();
    }

    /** @param value the loss offset {@code c >= 0} @return this */
    public B offset(double value) {
        this.offset = value;
        return self();
    }
}
