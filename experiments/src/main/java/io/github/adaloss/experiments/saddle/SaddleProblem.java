package io.github.adaloss.experiments.saddle;

import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A regression problem with a known strict saddle: the two-layer LINEAR network {@code f(x) = w2^T W1 x}
 * ({@code W1: [h, d]}, {@code w2: [h]}, no biases) fitted to a linear teacher {@code y = a^T x + noise} with the
 * mean squared error. At {@code W1 = 0, w2 = 0} the gradient vanishes and the Hessian has the eigenvalues
 * {@code +-|E[y x]|} (in the {@code (W1, w2)} directions {@code (w2 c^T, ...)}), so the origin is a strict saddle
 * (for depth 2 only: deeper linear nets have a higher-order saddle there). Training starts at
 * {@code N(0, initScale^2)} parameters, i.e. next to the saddle, with mini-batch noise.
 *
 * <p>Inputs {@code x ~ N(0, diag(s_1^2..s_d^2))} with {@code s_j} log-spaced over {@code [1/inputSpread, 1]}: the
 * anisotropic input makes the raw gradient noise anisotropic, which is what the adaptive preconditioners of Staib
 * et al. (arXiv 1901.09149) are claimed to correct. Everything is generated with {@link java.util.Random} from the
 * seed, so the data and the starting point do not depend on ND4J's RNG.
 */
public final class SaddleProblem {

    /** Teacher label noise standard deviation. */
    public static final double LABEL_NOISE = 0.1;

    private final int d;
    private final int h;
    private final DataSet data;

    /**
     * @param n           samples, {@code >= 2}
     * @param d           input dimension, {@code >= 1}
     * @param h           hidden width, {@code >= 1}
     * @param inputSpread ratio of the largest to the smallest input standard deviation, {@code >= 1}
     * @param seed        data seed
     */
    public SaddleProblem(int n, int d, int h, double inputSpread, long seed) {
        require(n >= 2, "n", n);
        require(d >= 1, "d", d);
        require(h >= 1, "h", h);
        require(inputSpread >= 1 && Double.isFinite(inputSpread), "inputSpread", inputSpread);
        this.d = d;
        this.h = h;
        Random rnd = new Random(seed);
        double[] a = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            a[j] = rnd.nextGaussian();
            norm += a[j] * a[j];
        }
        double[][] x = new double[n][d];
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int j = 0; j < d; j++) {
                double s = d == 1 ? 1 : Math.pow(inputSpread, -(double) j / (d - 1));
                x[i][j] = s * rnd.nextGaussian();
                dot += a[j] / Math.sqrt(norm) * x[i][j];
            }
            y[i][0] = dot + LABEL_NOISE * rnd.nextGaussian();
        }
        this.data = new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    private static void require(boolean ok, String name, double value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " is invalid: " + value);
        }
    }

    /** @return the whole training set, features {@code [n, d]}, labels {@code [n, 1]} (double) */
    public DataSet data() {
        return data;
    }

    /** @return number of trainable parameters {@code h d + h} */
    public int parameterCount() {
        return h * d + h;
    }

    /**
     * @param updater   the optimizer
     * @param initScale standard deviation of the starting parameters, {@code > 0}
     * @param seed      seed of the starting point
     * @return a network whose parameters are {@code N(0, initScale^2)} (near the saddle at 0)
     */
    public MultiLayerNetwork network(IUpdater updater, double initScale, long seed) {
        require(initScale > 0 && Double.isFinite(initScale), "initScale", initScale);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(d).nOut(h).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(h).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 1);
        double[] p = new double[parameterCount()];
        for (int k = 0; k < p.length; k++) {
            p[k] = initScale * rnd.nextGaussian();
        }
        INDArray params = Nd4j.createFromArray(p).reshape(1, p.length);
        net.setParams(params);
        return net;
    }
}
