package io.github.adaloss.ntk.network;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * Builder for the over-parameterized two-layer network of Du, Zhai, Poczos, Singh (arXiv:1810.02054):
 *
 * <pre>
 *   f(x) = (1 / sqrt(m)) * sum_{r=1..m} a_r * sigma(w_r^T x)        sigma = ReLU by default
 *   w_r(0) ~ N(0, kappa^2 I_d),  a_r ~ Uniform{-1, +1} (fixed),  no biases
 *   L(W) = 1/2 * sum_{i=1..n} (f(x_i) - y_i)^2
 * </pre>
 * as an ordinary DL4J {@link MultiLayerNetwork} of three layers:
 * <ol>
 *   <li>{@code DenseLayer(d -> m, sigma, no bias)}, weights {@code W} of shape [d, m] (column r is {@code w_r}),
 *       initialized from {@code N(0, kappa^2)}: the only trainable parameters;</li>
 *   <li>{@code FrozenLayerWithBackprop(DenseLayer(m -> 1, identity, no bias))} holding {@code a_r / sqrt(m)}
 *       (a {@link RademacherInit}); frozen: DL4J zeroes its gradient, so no updater moves it (a NoOp updater
 *       alone would NOT freeze it: DL4J then subtracts the raw gradient). It shares W's updater block, where its
 *       zero gradient changes nothing, not even AdaGrad-Norm's norm;</li>
 *   <li>{@code LossLayer(identity, LossL2 weighted by n/2)}.</li>
 * </ol>
 * With a full batch of the {@code sampleCount} n examples, DL4J's score is exactly {@code L} and the gradient the
 * updater receives is exactly {@code dL/dW} (DL4J averages over the mini-batch, the weight n/2 undoes it). With a
 * mini-batch of size B the score is {@code (n / 2B) sum_{batch} (f - y)^2}, an unbiased estimate of L. The
 * configuration alone (seed included) reproduces the initialization; default data type DOUBLE.
 */
public final class TwoLayerNetwork {

    private final int inputSize;
    private final int width;
    private final int sampleCount;
    private final long seed;
    private final double initScale;
    private final Activation activation;
    private final IUpdater updater;
    private final DataType dataType;

    private TwoLayerNetwork(Builder b) {
        this.inputSize = positive("inputSize", b.inputSize);
        this.width = positive("width", b.width);
        this.sampleCount = positive("sampleCount", b.sampleCount);
        if (!(b.initScale > 0) || Double.isInfinite(b.initScale)) {
            throw new IllegalArgumentException("initScale must be positive and finite, got " + b.initScale);
        }
        if (b.activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        if (b.updater == null) {
            throw new IllegalArgumentException("updater must be set: any DL4J IUpdater (e.g. new Sgd(0.1), or an "
                    + "AdaLoss-family updater), got null");
        }
        if (b.dataType == null || !b.dataType.isFPType()) {
            throw new IllegalArgumentException("dataType must be a floating-point type, got " + b.dataType);
        }
        this.seed = b.seed;
        this.initScale = b.initScale;
        this.activation = b.activation;
        this.updater = b.updater;
        this.dataType = b.dataType;
    }

    private static int positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value;
    }

    /** @return a builder; {@code inputSize}, {@code width}, {@code sampleCount} and {@code updater} must be set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the DL4J configuration */
    public MultiLayerConfiguration configuration() {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType).updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(inputSize).nOut(width).hasBias(false).activation(activation)
                        .weightInit(new WeightInitDistribution(new NormalDistribution(0, initScale))).build())
                .layer(new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(width).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).weightInit(new RademacherInit(1 / Math.sqrt(width)))
                        .build()))
                .layer(new LossLayer.Builder(new LossL2(Nd4j.create(new double[] {sampleCount / 2.0}, 1, 1)))
                        .activation(Activation.IDENTITY).build())
                .build();
    }

    /** @return an initialized network */
    public MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration());
        net.init();
        return net;
    }

    /** @return input dimension d */
    public int inputSize() {
        return inputSize;
    }

    /** @return width m */
    public int width() {
        return width;
    }

    /** @return n, the full-batch size the objective is scaled for */
    public int sampleCount() {
        return sampleCount;
    }

    /**
     * @param net a network built by this class
     * @return the trainable first-layer weights {@code W}, shape [d, m] (a view: do not modify)
     */
    public static INDArray hiddenWeights(MultiLayerNetwork net) {
        return net.getLayer(0).getParam("W");
    }

    /**
     * @param net a network built by this class
     * @return the fixed output weights {@code a_r / sqrt(m)}, shape [m, 1]
     */
    public static INDArray outputWeights(MultiLayerNetwork net) {
        return net.getLayer(1).getParam("W");
    }

    /** Builder for {@link TwoLayerNetwork}. */
    public static final class Builder {
        private int inputSize;
        private int width;
        private int sampleCount;
        private long seed = 12345;
        private double initScale = 1.0;
        private Activation activation = Activation.RELU;
        private IUpdater updater;
        private DataType dataType = DataType.DOUBLE;

        private Builder() {
        }

        /** @param d input dimension @return this */
        public Builder inputSize(int d) {
            this.inputSize = d;
            return this;
        }

        /** @param m number of hidden neurons @return this */
        public Builder width(int m) {
            this.width = m;
            return this;
        }

        /** @param n number of training examples (the full batch) @return this */
        public Builder sampleCount(int n) {
            this.sampleCount = n;
            return this;
        }

        /** @param value seed of the initialization (default 12345) @return this */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** @param kappa standard deviation of {@code w_r(0)} (default 1) @return this */
        public Builder initScale(double kappa) {
            this.initScale = kappa;
            return this;
        }

        /** @param value hidden activation sigma (default ReLU) @return this */
        public Builder activation(Activation value) {
            this.activation = value;
            return this;
        }

        /** @param value the updater of W, any DL4J {@link IUpdater} (required, no default) @return this */
        public Builder updater(IUpdater value) {
            this.updater = value;
            return this;
        }

        /** @param value network data type (default DOUBLE) @return this */
        public Builder dataType(DataType value) {
            this.dataType = value;
            return this;
        }

        /** @return the validated builder result */
        public TwoLayerNetwork build() {
            return new TwoLayerNetwork(this);
        }
    }
}
