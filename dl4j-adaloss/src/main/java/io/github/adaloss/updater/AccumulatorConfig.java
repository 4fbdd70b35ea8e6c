package io.github.adaloss.updater;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * A configuration whose updater divides the step by a network-level accumulator {@code b}: AdaLoss, AdaGrad-Norm,
 * AdamLoss. By default the updater is a {@link GlobalStepUpdater} whose only state is {@code b^2} (two slots per
 * parameter array of a block, so {@code stateSize} is 2 whatever the parameter count).
 */
abstract class AccumulatorConfig extends ScheduledLearningRate {

    private static final long serialVersionUID = 1L;

    /** Initial accumulator {@code b0 > 0}. */
    protected final double b0;

    /**
     * @param updater      the updater's name, for error messages
     * @param learningRate {@code eta}
     * @param schedule     a learning-rate schedule, or {@code null}
     * @param b0           initial accumulator, {@code > 0}
     */
    protected AccumulatorConfig(String updater, double learningRate, ISchedule schedule, double b0) {
        super(updater, learningRate, schedule);
        this.b0 = Hyperparameters.positive(updater, "b0", b0);
    }

    /** @return the initial accumulator {@code b0} */
    public double getB0() {
        return b0;
    }

    /** @return the accumulator spec that every block of one network must share */
    abstract AccumulatorSpec accumulatorSpec();

    @Override
    public long stateSize(long numParams) {
        return 2;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        GlobalStepUpdater<AccumulatorConfig> u = new GlobalStepUpdater<>(this);
        u.setStateViewArray(viewArray, new long[] {viewArray.length()}, 'c', initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        GlobalStepUpdater<AccumulatorConfig> u = new GlobalStepUpdater<>(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }
}
