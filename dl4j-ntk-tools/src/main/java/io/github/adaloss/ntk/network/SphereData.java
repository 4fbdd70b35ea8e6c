package io.github.adaloss.ntk.network;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The papers' synthetic regression data: inputs uniform on the unit sphere of R^d (normalized standard Gaussians),
 * labels either i.i.d. N(0, 1) or produced by a random two-layer ReLU teacher of width {@code teacherWidth},
 * {@code y = (1/sqrt k) sum_r a_r relu(v_r^T x)} scaled to unit empirical variance. Deterministic given the seed
 * (java.util.Random, independent of ND4J's RNG). Shapes: features [n, d], labels [n, 1], DOUBLE.
 */
public final class SphereData {

    /** How labels are produced. */
    public enum Labels {
        /** {@code y_i ~ N(0, 1)} independently of {@code x_i}. */
        GAUSSIAN,
        /** A random two-layer ReLU teacher network, standardized to unit variance. */
        TEACHER
    }

    private SphereData() {
    }

    /**
     * @param n      number of examples, positive
     * @param d      input dimension, at least 2
     * @param labels label kind
     * @param seed   seed
     * @return the data set
     */
    public static DataSet generate(int n, int d, Labels labels, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        if (d < 2) {
            throw new IllegalArgumentException("d must be at least 2, got " + d);
        }
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
                norm += row[j] * row[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                row[j] /= norm;
            }
        }
        double[] y = new double[n];
        if (labels == Labels.GAUSSIAN) {
            for (int i = 0; i < n; i++) {
                y[i] = r.nextGaussian();
            }
        } else {
            int k = 64;
            double[][] v = new double[k][d];
            double[] a = new double[k];
            for (int q = 0; q < k; q++) {
                for (int j = 0; j < d; j++) {
                    v[q][j] = r.nextGaussian();
                }
                a[q] = r.nextBoolean() ? 1 : -1;
            }
            double mean = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    double z = 0;
                    for (int j = 0; j < d; j++) {
                        z += v[q][j] * x[i][j];
                    }
                    s += a[q] * Math.max(0, z);
                }
                y[i] = s / Math.sqrt(k);
                mean += y[i] / n;
            }
            double var = 0;
            for (double yi : y) {
                var += (yi - mean) * (yi - mean) / n;
            }
            double sd = var > 0 ? Math.sqrt(var) : 1;
            for (int i = 0; i < n; i++) {
                y[i] = (y[i] - mean) / sd;
            }
        }
        INDArray features = Nd4j.create(x).castTo(DataType.DOUBLE);
        INDArray target = Nd4j.create(y, new long[] {n, 1}).castTo(DataType.DOUBLE);
        return new DataSet(features, target);
    }
}
