package io.github.adaloss.testing;

import io.github.adaloss.updater.LossFeedListener;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * The over-parameterized two-layer ReLU regression of Du et al. (arXiv:1810.02054), float64, built directly from
 * DL4J layers for this module's tests: {@code f(x) = (1/sqrt m) sum_r a_r relu(w_r^T x)}, inputs on the unit
 * sphere, labels N(0, 1), {@code w_r ~ N(0, I)}, {@code a_r} uniform in {-1, +1} and frozen
 * ({@link FrozenLayerWithBackprop}: DL4J's NoOp updater alone would still subtract the raw gradient), no
 * biases. DL4J's score is {@code (1/n) sum_i w (f(x_i) - y_i)^2} over the full batch (LossL2, weight w, default 1). (The ntk-tools module has
 * the user-facing builder; this fixture keeps the updater module's tests free of that dependency.)
 */
public final class TwoLayerReluFixture {

    private final int n;
    private final int d;
    private final int m;
    private final long seed;

    /**
     * @param n    examples
     * @param d    input dimension
     * @param m    width
     * @param seed seed of data and weights
     */
    public TwoLayerReluFixture(int n, int d, int m, long seed) {
        this.n = n;
        this.d = d;
        this.m = m;
        this.seed = seed;
    }

    /** @return the full-batch data set: rows of x on the unit sphere, y ~ N(0, 1) */
    public DataSet dataSet() {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                x[i][j] = r.nextGaussian();
                norm += x[i][j] * x[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                x[i][j] /= norm;
            }
            y[i] = r.nextGaussian();
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y, new long[] {n, 1}));
    }

    /** @return the initialized network with {@code updater} on W and the loss feed attached */
    public MultiLayerNetwork network(IUpdater updater) {
        return network(updater, 1.0);
    }

    /**
     * @param lossWeight weight w of the squared error: the score is {@code (1/n) sum_i w (f(x_i) - y_i)^2}
     *                   ({@code w = n/2} gives the paper's {@code 1/2 sum_i (f(x_i) - y_i)^2})
     * @return the initialized network with {@code updater} on W and the loss feed attached
     */
    public MultiLayerNetwork network(IUpdater updater, double lossWeight) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(d).nOut(m).hasBias(false).activation(Activation.RELU).build())
                .layer(new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(m).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build()))
                .layer(new LossLayer.Builder(new LossL2(Nd4j.create(new double[] {lossWeight}))).activation(Activation.IDENTITY)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random r = new Random(seed + 1);
        INDArray w = Nd4j.zeros(DataType.DOUBLE, d, m);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < m; j++) {
                w.putScalar(i, j, r.nextGaussian());
            }
        }
        INDArray a = Nd4j.zeros(DataType.DOUBLE, m, 1);
        for (int j = 0; j < m; j++) {
            a.putScalar(j, 0, (r.nextBoolean() ? 1.0 : -1.0) / Math.sqrt(m));
        }
        net.getLayer(0).setParam("W", w);
        net.getLayer(1).setParam("W", a);
        net.addListeners(new LossFeedListener());
        return net;
    }

    /**
     * Trains full batch for {@code iterations} steps.
     *
     * @return the score (MSE) after every step, index 0 = initial loss; stops early at a non-finite loss
     */
    public static double[] train(MultiLayerNetwork net, DataSet ds, int iterations) {
        double[] losses = new double[iterations + 1];
        java.util.Arrays.fill(losses, Double.NaN);
        losses[0] = net.score(ds);
        for (int t = 1; t <= iterations; t++) {
            net.fit(ds);
            losses[t] = net.score(ds);
            if (!Double.isFinite(losses[t]) || losses[t] > 1e12) {
                losses[t] = Double.POSITIVE_INFINITY;
                break;
            }
        }
        return losses;
    }
}
