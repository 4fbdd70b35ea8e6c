package io.github.adaloss.ntk.kernel;

import java.util.Arrays;
import java.util.function.Function;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Independent references for the tests (public for the listener tests): Jacobian by central differences, Grams in
 * plain loops, and symmetric eigenvalues by cyclic Jacobi.
 */
public final class PlainJava {

    private PlainJava() {
    }

    /**
     * @param trainable flattened parameter indices to differentiate
     * @return J[(i * k + c), q] = d f_c(x_i) / d theta_trainable[q] by central differences
     */
    public static double[][] jacobian(MultiLayerNetwork net, INDArray x, int[] trainable, double h) {
        return jacobian(net::output, net.params(), x, trainable, h);
    }

    /**
     * @param output    the network's inference output for a batch (any rank: each example's output is flattened in
     *                  c order, so row {@code i * k + c} is flat output c of example i)
     * @param params    the network's flattened parameter view (perturbed in place, restored)
     * @param trainable flattened parameter indices to differentiate
     * @return J by central differences
     */
    public static double[][] jacobian(Function<INDArray, INDArray> output, INDArray params, INDArray x, int[] trainable,
                               double h) {
        INDArray base = output.apply(x);
        int n = (int) base.size(0);
        int k = (int) (base.length() / n);
        double[][] j = new double[n * k][trainable.length];
        for (int q = 0; q < trainable.length; q++) {
            double v = params.getDouble(trainable[q]);
            params.putScalar(trainable[q], v + h);
            double[][] plus = output.apply(x).dup('c').reshape('c', n, k).toDoubleMatrix();
            params.putScalar(trainable[q], v - h);
            double[][] minus = output.apply(x).dup('c').reshape('c', n, k).toDoubleMatrix();
            params.putScalar(trainable[q], v);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    j[i * k + c][q] = (plus[i][c] - minus[i][c]) / (2 * h);
                }
            }
        }
        return j;
    }

    public static double[][] gram(double[][] a, double[][] b) {
        double[][] g = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double s = 0;
                for (int q = 0; q < a[i].length; q++) {
                    s += a[i][q] * b[j][q];
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    /** Sum over outputs of an (n1 k) x (n2 k) full kernel. */
    public static double[][] trace(double[][] full, int k) {
        int n1 = full.length / k;
        int n2 = full[0].length / k;
        double[][] t = new double[n1][n2];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                for (int c = 0; c < k; c++) {
                    t[i][j] += full[i * k + c][j * k + c];
                }
            }
        }
        return t;
    }

    /** Eigenvalues of a symmetric matrix by the cyclic Jacobi method, ascending. */
    public static double[] eigenvalues(double[][] sym) {
        int n = sym.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = sym[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int r = 0; r < n; r++) {
                        double arp = a[r][p];
                        double arq = a[r][q];
                        a[r][p] = c * arp - s * arq;
                        a[r][q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < n; r++) {
                        double apr = a[p][r];
                        double aqr = a[q][r];
                        a[p][r] = c * apr - s * aqr;
                        a[q][r] = s * apr + c * aqr;
                    }
                }
            }
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = a[i][i];
        }
        Arrays.sort(ev);
        return ev;
    }

    public static double maxRelDiff(double[][] expected, INDArray actual) {
        double[][] a = actual.toDoubleMatrix();
        double scale = 0;
        for (double[] row : expected) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                worst = Math.max(worst, Math.abs(expected[i][j] - a[i][j]) / scale);
            }
        }
        return worst;
    }
}
