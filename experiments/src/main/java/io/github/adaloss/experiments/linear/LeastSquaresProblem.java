package io.github.adaloss.experiments.linear;

import io.github.adaloss.experiments.synthetic.KernelAtInit;
import io.github.adaloss.experiments.synthetic.LinearizedDynamics;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * A realizable least-squares problem: {@code X} is n x d with entries {@code N(0, 1) * s_j}, column scales
 * {@code s_j} falling geometrically from 1 to {@code 1 / sqrt(CONDITION)} (so that {@code X^T X / n} has a condition
 * number near {@link #CONDITION}), {@code y = X w*} with {@code w* ~ N(0, I)}, no noise. The model is
 * {@code f(x) = w.x} (a DL4J dense layer without bias, weights starting at 0) and the objective
 * {@code L(w) = 1/(2n) ||X w - y||^2}, whose Hessian is {@code X^T X / n}. Because the model is linear, gradient
 * descent on it is exactly the linear recursion of {@link LinearizedDynamics} with the kernel {@code X X^T / n}
 * (the same non-zero eigenvalues as {@code X^T X / n}) and the residual {@code (X w - y) / sqrt(n)}: its closed-form
 * rate is {@code max_i (1 - s mu_i)^2} over the eigenvalues {@code mu_i} of {@code X^T X / n}.
 */
public final class LeastSquaresProblem {

    /** The intended condition number of {@code X^T X / n}. */
    public static final double CONDITION = 100;

    private final int n;
    private final int d;
    private final long seed;
    private final DataSet data;
    private final KernelAtInit kernel;
    private final double[] hessianEigenvalues;

    /**
     * @param n    examples
     * @param d    features (at most n)
     * @param seed seed of X and w*
     */
    public LeastSquaresProblem(int n, int d, long seed) {
        if (n < 2 || d < 1 || d > n) {
            throw new IllegalArgumentException("need n >= 2 and 1 <= d <= n, got n=" + n + ", d=" + d);
        }
        this.n = n;
        this.d = d;
        this.seed = seed;
        Random rnd = new Random(seed);
        double[][] x = new double[n][d];
        for (int j = 0; j < d; j++) {
            double scale = d == 1 ? 1 : Math.pow(CONDITION, -0.5 * j / (d - 1));
            for (int i = 0; i < n; i++) {
                x[i][j] = rnd.nextGaussian() * scale;
            }
        }
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = rnd.nextGaussian();
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                y[i] += x[i][j] * w[j];
            }
        }
        double[][] gram = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k <= i; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += x[i][j] * x[k][j];
                }
                gram[i][k] = s / n;
                gram[k][i] = s / n;
            }
        }
        double[][] xtx = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += x[i][a] * x[i][b];
                }
                xtx[a][b] = s / n;
            }
        }
        this.data = new DataSet(Nd4j.create(x).castTo(DataType.DOUBLE),
                Nd4j.create(y, new long[] {n, 1}, DataType.DOUBLE));
        // residual scaled by 1/sqrt(n), so that 1/2 ||r0||^2 of the dynamics is L(0) = 1/(2n) ||y||^2
        double[] r0 = new double[n];
        for (int i = 0; i < n; i++) {
            r0[i] = -y[i] / Math.sqrt(n);
        }
        this.hessianEigenvalues = NtkSpectrum.of(Nd4j.create(xtx)).eigenvalues();
        this.kernel = new KernelAtInit(0, new NtkSpectrum(hessianEigenvalues), new LinearizedDynamics(gram, r0));
    }

    /** @return the full batch */
    public DataSet data() {
        return data;
    }

    /**
     * @return the kernel of the problem: the eigenvalues of {@code X^T X / n} and the exact dynamics of gradient
     *         descent from {@code w = 0}
     */
    public KernelAtInit kernel() {
        return kernel;
    }

    /** @return the eigenvalues of the Hessian {@code X^T X / n}, ascending */
    public double[] hessianEigenvalues() {
        return hessianEigenvalues.clone();
    }

    /** @return n */
    public int n() {
        return n;
    }

    /** @return d */
    public int d() {
        return d;
    }

    /**
     * @param updater the optimizer
     * @return a fresh network {@code f(x) = w.x} with {@code w = 0} and the objective {@code 1/(2n) ||Xw - y||^2}
     */
    public MultiLayerNetwork network(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(d).nOut(1).hasBias(false).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.ZERO).build())
                .layer(new LossLayer.Builder(new LossL2(Nd4j.create(new double[] {0.5}, 1, 1)))
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }
}
