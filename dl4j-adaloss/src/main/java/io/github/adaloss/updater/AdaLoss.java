package io.github.adaloss.updater;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * AdaLoss: a single, network-wide step size that adapts to the training loss.
 *
 * <pre>
 *   b_0^2     = b0^2
 *   b_{t+1}^2 = b_t^2 + alpha * |l_t - c|
 *   w_{t+1}   = w_t - (eta / b_{t+1}) * g_t
 * </pre>
 * where {@code g_t} is the gradient DL4J hands to the updater (averaged over the mini-batch, after L1/L2 and
 * gradient normalization) and {@code l_t} is the loss DL4J computed for the same mini-batch at {@code w_t}
 * ({@code model.score()}, which includes regularization terms). The accumulator is updated first; the step uses
 * the new {@code b_{t+1}}. One {@code b} serves the whole network, whatever number of updater blocks DL4J splits
 * it into.
 *
 * <p>Requires {@link io.github.adaloss.updater.LossFeedListener} on the network: without it the first step throws an
 * {@link IllegalStateException} that says how to attach it. State: {@code b^2} in two slots per parameter array
 * of the block (only the last two are used), so O(1) per network; checkpointed by {@code ModelSerializer}.
 *
 * <p>Reference: X. Wu, Y. Xie, S. S. Du, R. Ward, "AdaLoss: A computationally-efficient and provably convergent
 * adaptive gradient method", AAAI 2022, arXiv:2109.08282 (first version arXiv:1902.07111).
 */
public final class AdaLoss extends AccumulatorConfig {

    private static final long serialVersionUID = 1L;

    /**
     * Default learning rate {@code eta = 1}, for mean losses (DL4J's losses are means over the mini-batch), chosen
     * from the practitioner suite's eta sweep (issue 11; docs/practitioner.md, 4 points per decade on the cheap
     * configurations, 1 on the CNN/LSTM ones, seeds 1 and 2, not the reported seeds): mean test metric at eta = 0.1 / 1
     * / 10: MLP 66.5 / 69.7 / 35.3%, LeNet 20.5 / 37.7% / crash, LSTM 39.0 / 49.3 / 70.3%, ResNet 13.7 / 24.8 / 21.8%,
     * transfer 75.3 / 87.7 / 84.7%, regression (RMSE/std) 0.91 / 0.56 / 1.01. The former default 10 (chosen for the
     * paper's sum-of-squares problem) crashed the LeNet. For a loss of another scale keep the first step
     * {@code eta / sqrt(b0^2 + alpha l_0)} near that of a cross-entropy ({@code l_0 ~ ln K}).
     */
    public static final double DEFAULT_LEARNING_RATE = 1.0;
    /** Default initial accumulator {@code b0}. */
    public static final double DEFAULT_B0 = 1.0;
    /** Default loss scale {@code alpha} (the authors' reference code). */
    public static final double DEFAULT_ALPHA = 1.0;
    /** Default loss offset {@code c} (the authors' reference code). */
    public static final double DEFAULT_OFFSET = 0.0;

    private final double alpha;
    private final double offset;

    /**
     * DL4J style, like {@code new Adam(1e-3)}: every other field at its {@code DEFAULT_*} value.
     *
     * @param learningRate {@code eta > 0}
     */
    public AdaLoss(double learningRate) {
        this(learningRate, null, DEFAULT_B0, DEFAULT_ALPHA, DEFAULT_OFFSET);
    }

    /**
     * DL4J style, like {@code new Adam(schedule)}: every other field at its {@code DEFAULT_*} value.
     *
     * @param learningRateSchedule the schedule of {@code eta}, not null
     */
    public AdaLoss(ISchedule learningRateSchedule) {
        this(Double.NaN, Objects.requireNonNull(learningRateSchedule, "AdaLoss: learningRateSchedule must not be null"),
                DEFAULT_B0, DEFAULT_ALPHA, DEFAULT_OFFSET);
    }

    /** AdaLoss with every default. */
    public AdaLoss() {
        this(DEFAULT_LEARNING_RATE, null, DEFAULT_B0, DEFAULT_ALPHA, DEFAULT_OFFSET);
    }

    /**
     * @param learningRate {@code eta > 0}
     * @param b0           {@code b0 > 0}
     */
    public AdaLoss(double learningRate, double b0) {
        this(learningRate, null, b0, DEFAULT_ALPHA, DEFAULT_OFFSET);
    }

    private AdaLoss(@JsonProperty("learningRate") double learningRate,
                    @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                    @JsonProperty("b0") double b0,
                    @JsonProperty("alpha") double alpha,
                    @JsonProperty("offset") double offset) {
        super("AdaLoss", learningRate, learningRateSchedule, b0);
        this.alpha = Hyperparameters.positive("AdaLoss", "alpha", alpha);
        this.offset = Hyperparameters.nonNegative("AdaLoss", "offset", offset);
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the loss scale {@code alpha} */
    public double getAlpha() {
        return alpha;
    }

    /** @return the loss offset {@code c} */
    public double getOffset() {
        return offset;
    }

    @Override
    AccumulatorSpec accumulatorSpec() {
        return new AccumulatorSpec(AccumulatorSpec.Rule.LOSS, b0, alpha, offset);
    }

    @Override
    public AdaLoss clone() {
        return new AdaLoss(learningRate, learningRateSchedule, b0, alpha, offset);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AdaLoss other)) {
            return false;
        }
        return sameLearningRate(other) && Double.compare(b0, other.b0) == 0
                && Double.compare(alpha, other.alpha) == 0 && Double.compare(offset, other.offset) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRateHash(), b0, alpha, offset);
    }

    @Override
    public String toString() {
        return "AdaLoss(" + learningRateString() + ", b0=" + b0 + ", alpha=" + alpha + ", offset=" + offset + ")";
    }

    /** Builder for {@link AdaLoss}; unset fields keep their {@code DEFAULT_*} value. */
    public static final class Builder extends LossAccumulatorBuilder<Builder> {

        private Builder() {
            super(DEFAULT_LEARNING_RATE, DEFAULT_B0, DEFAULT_ALPHA, DEFAULT_OFFSET);
        }

        /** @return the validated configuration */
        public AdaLoss build() {
            return new AdaLoss(learningRate, learningRateSchedule, b0, alpha, offset);
        }
    }
}
