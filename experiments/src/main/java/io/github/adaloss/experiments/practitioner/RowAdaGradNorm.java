package io.github.adaloss.experiments.practitioner;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The per-row AdaGrad-Norm baseline of the AdaLoss paper's tables (Wu, Xie, Du, Ward, arXiv 2109.08282; Ward, Wu,
 * Bottou, JMLR 2020): one accumulator per output unit instead of one per network. For row {@code r} of a parameter
 * (the weights into one output unit of a dense layer, one output channel of a convolution, or one element of a bias
 * or BatchNorm scale/shift),
 * <pre>
 *   b_{r,t+1}^2 = b_{r,t}^2 + ||g_{r,t}||^2,    w_{r,t+1} = w_{r,t} - (eta / b_{r,t+1}) g_{r,t},    b_{r,0} = b0
 * </pre>
 * with {@code g} the mini-batch-mean gradient DL4J hands to the updater. The grouping into rows is this project's
 * reading of the authors' description ("AdaGrad-Norm per row"), not checked against their code. A baseline of the
 * experiments only, not one of the library's updaters.
 *
 * <p>DL4J gives an updater the flat gradient of its block without shapes, so the row length is part of the
 * configuration: {@link #applyTo} sets, on every layer, a {@code RowAdaGradNorm} whose row length matches the layer's
 * weights (DL4J stores dense weights {@code [nIn, nOut]} in 'f' order and convolution weights
 * {@code [nOut, nIn, kH, kW]} in 'c' order, so each output unit's weights are one contiguous run) and one of row
 * length 1 for its bias. Layers whose weights do not fit that layout (recurrent layers, whose input and recurrent
 * weights have rows of different lengths) are refused.
 */
public final class RowAdaGradNorm implements IUpdater {

    private static final long serialVersionUID = 1L;

    @JsonProperty
    private double learningRate;
    @JsonProperty
    private double b0;
    @JsonProperty
    private long rowLength;

    /** For JSON. */
    public RowAdaGradNorm() {
        this(1, 1, 1);
    }

    /**
     * @param learningRate eta, finite and positive
     * @param b0           initial accumulator of every row, finite and positive
     * @param rowLength    elements per row (each parameter's length must be a multiple of it)
     */
    public RowAdaGradNorm(double learningRate, double b0, long rowLength) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("RowAdaGradNorm: learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(b0 > 0) || Double.isInfinite(b0)) {
            throw new IllegalArgumentException("RowAdaGradNorm: b0 must be finite and > 0, got " + b0);
        }
        if (rowLength < 1) {
            throw new IllegalArgumentException("RowAdaGradNorm: rowLength must be >= 1, got " + rowLength);
        }
        this.learningRate = learningRate;
        this.b0 = b0;
        this.rowLength = rowLength;
    }

    /** @return elements per row */
    public long rowLength() {
        return rowLength;
    }

    @Override
    public long stateSize(long numParams) {
        if (numParams % rowLength != 0) {
            throw new IllegalStateException("RowAdaGradNorm: a parameter of " + numParams
                    + " values is not a whole number of rows of " + rowLength);
        }
        return numParams / rowLength;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Rows u = new Rows(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Rows u = new Rows(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public RowAdaGradNorm clone() {
        return new RowAdaGradNorm(learningRate, b0, rowLength);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (lrSchedule != null) {
            throw new UnsupportedOperationException("RowAdaGradNorm: learning-rate schedules are not supported");
        }
        this.learningRate = lr;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof RowAdaGradNorm r && Double.compare(learningRate, r.learningRate) == 0
                && Double.compare(b0, r.b0) == 0 && rowLength == r.rowLength);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, b0, rowLength);
    }

    @Override
    public String toString() {
        return "RowAdaGradNorm(lr=" + learningRate + ", b0=" + b0 + ", rowLength=" + rowLength + ")";
    }

    /**
     * Sets, on every trainable layer of an initialized network whose updater has not been created yet (before the
     * first {@code fit}), a {@code RowAdaGradNorm(eta, b0, rowLength)} for its weights and one of row length 1 for
     * its bias (and BatchNorm's scale and shift). Frozen layers are left alone.
     *
     * @param model a MultiLayerNetwork or ComputationGraph, not yet trained
     * @param eta   the learning rate
     * @param b0    the initial accumulator
     * @throws IllegalArgumentException for a layer whose weights are not rows of one length
     */
    public static void applyTo(Model model, double eta, double b0) {
        Layer[] layers = Networks.layers(model);
        for (Layer l : layers) {
            if (!(l.conf().getLayer() instanceof BaseLayer conf) || l.numParams() == 0) {
                continue;
            }
            long row;
            if (conf instanceof ConvolutionLayer c) {
                row = c.getNIn() * c.getKernelSize()[0] * c.getKernelSize()[1];
            } else if (conf instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                row = 1;
            } else if (conf instanceof FeedForwardLayer f && !(conf instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer)) {
                row = f.getNIn();
            } else {
                throw new IllegalArgumentException("RowAdaGradNorm: layer " + conf.getLayerName() + " ("
                        + conf.getClass().getSimpleName() + ") has no single row length");
            }
            conf.setIUpdater(new RowAdaGradNorm(eta, b0, row));
            conf.setBiasUpdater(new RowAdaGradNorm(eta, b0, 1));
        }
    }

    /**
     * @param model a network
     * @return false if {@link #applyTo} would refuse one of its layers
     */
    public static boolean applicable(Model model) {
        Layer[] layers = Networks.layers(model);
        for (Layer l : layers) {
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer && l.numParams() > 0) {
                return false;
            }
        }
        return true;
    }

    /** The state: one {@code b_r^2} per row, in the block's flat view. */
    private static final class Rows implements GradientUpdater<RowAdaGradNorm> {
        private final RowAdaGradNorm config;
        private INDArray sumSq;

        Rows(RowAdaGradNorm config) {
            this.config = config;
        }

        @Override
        public RowAdaGradNorm getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            INDArray s = state.get("sumSq");
            if (s == null) {
                throw new IllegalArgumentException("RowAdaGradNorm: state has no \"sumSq\" entry, keys " + state.keySet());
            }
            setStateViewArray(s, s.shape(), s.ordering(), initialize);
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of("sumSq", sumSq);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char order, boolean initialize) {
            sumSq = viewArray.reshape(viewArray.length());
            if (initialize) {
                sumSq.assign(config.b0 * config.b0);
            }
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            long n = gradient.length();
            long rows = n / config.rowLength;
            if (rows != sumSq.length() || rows * config.rowLength != n) {
                throw new IllegalStateException("RowAdaGradNorm: gradient of " + n + " values for " + sumSq.length()
                        + " rows of " + config.rowLength);
            }
            INDArray g = gradient.dup('c').reshape('c', rows, config.rowLength);
            sumSq.addi(g.mul(g).sum(1).reshape(rows));
            INDArray scale = org.nd4j.linalg.ops.transforms.Transforms.sqrt(sumSq, true).rdivi(config.learningRate);
            g.muliColumnVector(scale.reshape(rows, 1));
            gradient.assign(g.reshape(gradient.shape()));
        }
    }
}
