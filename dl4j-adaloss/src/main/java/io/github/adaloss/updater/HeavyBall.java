package io.github.adaloss.updater;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Heavy-ball (Polyak) momentum, which DL4J does not ship (its {@code Nesterovs} is Nesterov's method).
 *
 * <pre>
 *   w_{t+1} = w_t - eta g(w_t) + beta (w_t - w_{t-1})
 * </pre>
 * implemented in velocity form, {@code v_t = beta v_{t-1} + eta g_t}, {@code w_{t+1} = w_t - v_t} (the two are
 * identical because {@code w_t - w_{t-1} = -v_{t-1}}). State: {@code v}, P numbers.
 *
 * <p>No loss feed is needed. Without a {@link io.github.adaloss.updater.LossFeedListener} each block checks only its
 * own gradient, so on a network split into several blocks a NaN in a later block is reported after earlier
 * blocks already advanced their velocity (the parameters are still unchanged); with the listener attached the
 * whole network's gradient is checked once before any block runs, so nothing changes. The loss feed's step
 * recovery needs an accumulator {@code b} to grow and is therefore not applied to a network whose only updater is
 * HeavyBall (it is fail-fast); in a network that mixes HeavyBall with an AdaLoss-family updater, a rollback
 * restores the velocity too.
 *
 * <p>References: B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", 1964;
 * Z. Bu, S. Xu, K. Chen, "A dynamical view on optimization algorithms of overparameterized neural networks",
 * AISTATS 2021, arXiv:2010.13165 (heavy ball converges linearly on over-parameterized ReLU networks).
 */
public final class HeavyBall extends ScheduledLearningRate {

    private static final long serialVersionUID = 1L;

    /** Default learning rate {@code eta} (as DL4J's {@code Nesterovs}). */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    /** Default momentum {@code beta} (as DL4J's {@code Nesterovs}). */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final double momentum;

    /** Heavy ball with every default. */
    public HeavyBall() {
        this(DEFAULT_LEARNING_RATE, null, DEFAULT_MOMENTUM);
    }

    /**
     * DL4J style, like {@code new Adam(1e-3)}: every other field at its {@code DEFAULT_*} value.
     *
     * @param learningRate {@code eta > 0}
     */
    public HeavyBall(double learningRate) {
        this(learningRate, null, DEFAULT_MOMENTUM);
    }

    /**
     * DL4J style, like {@code new Adam(schedule)}: every other field at its {@code DEFAULT_*} value.
     *
     * @param learningRateSchedule the schedule of {@code eta}, not null
     */
    public HeavyBall(ISchedule learningRateSchedule) {
        this(Double.NaN, Objects.requireNonNull(learningRateSchedule, "HeavyBall: learningRateSchedule must not be null"),
                DEFAULT_MOMENTUM);
    }

    /**
     * @param learningRate {@code eta > 0}
     * @param momentum     {@code beta} in [0, 1)
     */
    public HeavyBall(double learningRate, double momentum) {
        this(learningRate, null, momentum);
    }

    private HeavyBall(@JsonProperty("learningRate") double learningRate,
                      @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                      @JsonProperty("momentum") double momentum) {
        super("HeavyBall", learningRate, learningRateSchedule);
        this.momentum = Hyperparameters.unitInterval("HeavyBall", "momentum", momentum);
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the momentum {@code beta} */
    public double getMomentum() {
        return momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        HeavyBallUpdater u = new HeavyBallUpdater(this);
        u.setStateViewArray(viewArray, new long[] {viewArray.length()}, 'c', initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        HeavyBallUpdater u = new HeavyBallUpdater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public HeavyBall clone() {
        return new HeavyBall(learningRate, learningRateSchedule, momentum);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof HeavyBall other && sameLearningRate(other)
                && Double.compare(momentum, other.momentum) == 0);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRateHash(), momentum);
    }

    @Override
    public String toString() {
        return "HeavyBall(" + learningRateString() + ", momentum=" + momentum + ")";
    }

    /** Builder for {@link HeavyBall}; unset fields keep their {@code DEFAULT_*} value. */
    public static final class Builder extends LearningRateBuilder<Builder> {
        private double momentum = DEFAULT_MOMENTUM;

        private Builder() {
            super(DEFAULT_LEARNING_RATE);
        }

        /** @param value {@code beta} in [0, 1) @return this */
        public Builder momentum(double value) {
            this.momentum = value;
            return this;
        }

        /** @return the validated configuration */
        public HeavyBall build() {
            return new HeavyBall(learningRate, learningRateSchedule, momentum);
        }
    }
}
