package io.github.adaloss.updater;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The state-holding side of {@link HeavyBall}: the velocity {@code v}, {@code v = beta v + eta g}, update = v. */
final class HeavyBallUpdater extends NetworkStepUpdater<HeavyBall> {

    /** State-map key of the velocity. */
    public static final String V_STATE = "V";

    private INDArray velocity;

    /** @param config the configuration */
    public HeavyBallUpdater(HeavyBall config) {
        super(config);
    }

    @Override
    AccumulatorSpec accumulatorSpec() {
        return null;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder,
                                  boolean initialize) {
        velocity = viewArray.reshape(viewArray.length());
        if (initialize) {
            velocity.assign(0);
        }
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        velocity = StateMaps.require(stateMap, "HeavyBall", V_STATE);
        if (initialize) {
            velocity.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new HashMap<>();
        state.put(V_STATE, velocity);
        return state;
    }

    @Override
    protected void commit(INDArray gradient, double bSquared, int iteration, int epoch) {
        velocity.muli(config.getMomentum()).addi(gradient.muli(config.getLearningRate(iteration, epoch)));
        gradient.assign(velocity);
    }
}
