package io.github.adaloss.ntk.kernel;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The configuration that replaces each BatchNormalization in {@link PerExampleNtk}'s private copy of a network: the
 * same fields and parameter layout (it copies the original's fields), but its layer always runs in inference mode
 * and back-propagates the inference-mode affine map ({@link BatchNormInference}), so that DL4J's per-example
 * back-propagation (which runs layers in training mode) yields the Jacobian of {@code output()}. Never serialized.
 */
final class InferenceBatchNormLayer extends BatchNormalization {

    private static final long serialVersionUID = 1L;

    /**
     * @param original the configuration to copy (every field of BatchNormalization and its superclasses)
     * @return the replacement
     */
    static InferenceBatchNormLayer of(BatchNormalization original) {
        InferenceBatchNormLayer copy = new InferenceBatchNormLayer();
        for (Class<?> c = BatchNormalization.class; c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(copy, f.get(original));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy BatchNormalization field " + f.getName(), e);
                }
            }
        }
        return copy;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        Impl ret = new Impl(conf, networkDataType);
        ret.setListeners(listeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(paramsView);
        Map<String, INDArray> paramTable = initializer().init(conf, paramsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return BatchNormalizationParamInitializer.getInstance();
    }

    /** DL4J's BatchNormalization layer, always in inference mode, with the inference-mode backward pass. */
    static final class Impl extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            return super.activate(false, workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            BatchNormInference bn = BatchNormInference.of(this, dataType);
            INDArray eps = epsilon.castTo(dataType);
            Gradient g = new DefaultGradient();
            for (Map.Entry<String, INDArray> view : gradientViews.entrySet()) {
                INDArray value;
                if (view.getKey().equals(BatchNormalizationParamInitializer.GAMMA)) {
                    value = bn.gammaGradients(eps, bn.normalize(input.castTo(dataType))).sum(0);
                } else if (view.getKey().equals(BatchNormalizationParamInitializer.BETA)) {
                    value = bn.betaGradients(eps).sum(0);
                } else {
                    // running mean / variance: not parameters of output(), no gradient
                    value = null;
                }
                if (value == null) {
                    view.getValue().assign(0.0);
                } else {
                    view.getValue().assign(value.reshape(view.getValue().shape()));
                }
                g.setGradientFor(view.getKey(), view.getValue());
            }
            INDArray below = bn.inputSignal(eps);
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, below.shape(), 'c');
            out.assign(below);
            return new Pair<>(g, out);
        }
    }
}
