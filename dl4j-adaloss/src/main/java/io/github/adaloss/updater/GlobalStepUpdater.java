package io.github.adaloss.updater;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state-holding side of {@link AdaLoss} and {@link AdaGradNorm}: {@code update = (eta / b_{t+1}) * g_t}, with
 * {@code b_{t+1}} the network accumulator committed by the {@link NetworkStep} (its increment depends on the
 * configuration's {@link AccumulatorSpec.Rule}). The only state is {@code b^2}.
 *
 * @param <T> the configuration type
 */
final class GlobalStepUpdater<T extends AccumulatorConfig> extends NetworkStepUpdater<T> {

    /** @param config the configuration */
    public GlobalStepUpdater(T config) {
        super(config);
    }

    @Override
    AccumulatorSpec accumulatorSpec() {
        return config.accumulatorSpec();
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        bindAccumulator(viewArray.reshape(viewArray.length()), initialize);
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        bindAccumulatorSlots(StateMaps.require(stateMap, config.getClass().getSimpleName(), B2_STATE), initialize);
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new HashMap<>();
        putAccumulatorState(state);
        return state;
    }

    @Override
    protected void commit(INDArray gradient, double bSquared, int iteration, int epoch) {
        gradient.muli(config.getLearningRate(iteration, epoch) / Math.sqrt(bSquared));
    }
}
