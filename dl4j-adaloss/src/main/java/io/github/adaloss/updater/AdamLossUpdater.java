package io.github.adaloss.updater;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The state-holding side of {@link AdamLoss}. State view layout for a block of {@code n} parameters in {@code k}
 * arrays (length {@code 2n + 2k}): {@code m = [0, n)}, {@code v = [n, 2n)}, {@code b^2} in the last two slots.
 * DL4J only hands over the view, so {@code n} is learned from the first gradient (or from a state map).
 */
final class AdamLossUpdater extends NetworkStepUpdater<AdamLoss> {

    /** State-map key of the first moment. */
    public static final String M_STATE = "M";
    /** State-map key of the second moment. */
    public static final String V_STATE = "V";

    private INDArray view;
    private INDArray m;
    private INDArray v;

    /** @param config the configuration */
    public AdamLossUpdater(AdamLoss config) {
        super(config);
    }

    @Override
    AccumulatorSpec accumulatorSpec() {
        return config.accumulatorSpec();
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        view = viewArray.reshape(viewArray.length());
        if (initialize) {
            view.assign(0);
        }
        m = null;
        v = null;
        bindAccumulator(view, initialize);
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        m = StateMaps.require(stateMap, "AdamLoss", M_STATE);
        v = StateMaps.require(stateMap, "AdamLoss", V_STATE);
        if (initialize) {
            m.assign(0);
            v.assign(0);
        }
        view = null;
        bindAccumulatorSlots(StateMaps.require(stateMap, "AdamLoss", B2_STATE), initialize);
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new HashMap<>();
        if (m != null) {
            state.put(M_STATE, m);
            state.put(V_STATE, v);
        }
        putAccumulatorState(state);
        return state;
    }

    /** The whole state view when there is one (the moments are bound to it only at the first update). */
    @Override
    Collection<INDArray> stateArrays() {
        return view != null ? List.of(view) : getState().values();
    }

    private void bindMoments(long n) {
        if (m != null) {
            if (m.length() != n) {
                throw new IllegalStateException("AdamLoss: gradient length " + n + " does not match state length "
                        + m.length());
            }
            return;
        }
        long needed = 2 * n + 2;
        if (view.length() < needed || (view.length() - 2 * n) % 2 != 0) {
            throw new IllegalStateException("AdamLoss: state view of length " + view.length()
                    + " cannot hold moments for a gradient of length " + n);
        }
        m = view.get(NDArrayIndex.interval(0, n));
        v = view.get(NDArrayIndex.interval(n, 2 * n));
    }

    @Override
    protected void commit(INDArray gradient, double bSquared, int iteration, int epoch) {
        bindMoments(gradient.length());
        double beta1 = config.getBeta1();
        double beta2 = config.getBeta2();
        int t = iteration + 1;
        m.muli(beta1).addi(gradient.mul(1 - beta1));
        v.muli(beta2).addi(gradient.mul(gradient).muli(1 - beta2));
        INDArray denominator = Transforms.sqrt(v.div(1 - Math.pow(beta2, t)), false).addi(config.getEpsilon());
        double step = config.getLearningRate(iteration, epoch) / Math.sqrt(bSquared) / (1 - Math.pow(beta1, t));
        gradient.assign(m).divi(denominator).muli(step);
    }
}
