package io.github.adaloss.updater;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * AdaGrad-Norm: a single, network-wide step size driven by the accumulated squared norm of the gradient.
 *
 * <pre>
 *   b_0^2     = b0^2
 *   b_{t+1}^2 = b_t^2 + ||g_t||^2      (norm over ALL trainable parameters of the network)
 *   w_{t+1}   = w_t - (eta / b_{t+1}) * g_t
 * </pre>
 * {@code g_t} is the gradient DL4J hands to the updaters (mini-batch average, after L1/L2 and gradient
 * normalization). When DL4J splits the network into several updater blocks, the blocks' squared norms are summed
 * by the network step (opened by the loss feed) before any block is updated, so the norm is the global one.
 * Parameters with another updater (frozen layers, BatchNorm statistics) are not part of the norm.
 *
 * <p>Requires {@link io.github.adaloss.updater.LossFeedListener} (which opens the network step). Compared with
 * {@link AdaLoss} it costs one extra BLAS {@code dot} over the gradient per step.
 *
 * <p>Reference: R. Ward, X. Wu, L. Bottou, "AdaGrad stepsizes: sharp convergence over nonconvex landscapes",
 * JMLR 21 (2020), arXiv:1806.01811.
 */
public final class AdaGradNorm extends AccumulatorConfig {

    private static final long serialVersionUID = 1L;

    /**
     * Default learning rate {@code eta = 1}, confirmed by the practitioner suite's eta sweep (issue 11;
     * docs/practitioner.md): it serves 8 of 12 (configuration, seed) pairs within tolerance of the best eta, more than
     * any other eta of the grid; mean test metric at eta = 0.1 / 1 / 10: MLP 65.0 / 72.2 / 68.2%, LeNet 28.6 / 56.7 /
     * 13.0%, LSTM 41.7 / 60.3 / 69.0%, ResNet 13.7 / 27.7 / 20.7%, transfer 70.5 / 85.9 / 84.7%, regression 1.95 /
     * 0.57 / 0.68.
     */
    public static final double DEFAULT_LEARNING_RATE = 1.0;
    /** Default initial accumulator {@code b0}. */
    public static final double DEFAULT_B0 = 1.0;


    /** AdaGrad-Norm with every default. */
    public AdaGradNorm() {
        this(DEFAULT_LEARNING_RATE, null, DEFAULT_B0);
    }

    /**
     * DL4J style, like {@code new Adam(1e-3)}: every other field at its {@code DEFAULT_*} value.
     *
     * @param learningRate {@code eta > 0}
     */
    public AdaGradNorm(double learningRate) {
        this(learningRate, null, DEFAULT_B0);
    }

    /**
     * DL4J style, like {@code new Adam(schedule)}: every other field at its {@code DEFAULT_*} value.
     *
     * @param learningRateSchedule the schedule of {@code eta}, not null
     */
    public AdaGradNorm(ISchedule learningRateSchedule) {
        this(Double.NaN, Objects.requireNonNull(learningRateSchedule, "AdaGradNorm: learningRateSchedule must not be null"),
                DEFAULT_B0);
    }

    /**
     * @param learningRate {@code eta > 0}
     * @param b0           {@code b0 > 0}
     */
    public AdaGradNorm(double learningRate, double b0) {
        this(learningRate, null, b0);
    }

    private AdaGradNorm(@JsonProperty("learningRate") double learningRate,
                        @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                        @JsonProperty("b0") double b0) {
        super("AdaGradNorm", learningRate, learningRateSchedule, b0);
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    AccumulatorSpec accumulatorSpec() {
        return new AccumulatorSpec(AccumulatorSpec.Rule.GRADIENT_NORM, b0, 0, 0);
    }

    @Override
    public AdaGradNorm clone() {
        return new AdaGradNorm(learningRate, learningRateSchedule, b0);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof AdaGradNorm other && sameLearningRate(other)
                && Double.compare(b0, other.b0) == 0);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRateHash(), b0);
    }

    @Override
    public String toString() {
        return "AdaGradNorm(" + learningRateString() + ", b0=" + b0 + ")";
    }

    /** Builder for {@link AdaGradNorm}; unset fields keep their {@code DEFAULT_*} value. */
    public static final class Builder extends AccumulatorBuilder<Builder> {

        private Builder() {
            super(DEFAULT_LEARNING_RATE, DEFAULT_B0);
        }

        /** @return the validated configuration */
        public AdaGradNorm build() {
            return new AdaGradNorm(learningRate, learningRateSchedule, b0);
        }
    }
}
