package io.github.adaloss.experiments.saddle;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The full-matrix adaptive preconditioner of Staib et al., "Escaping saddle points with adaptive gradient methods"
 * (ICML 2019, arXiv 1901.09149), the object of their analysis (the diagonal RMSProp / Adam / AdaGrad are its
 * diagonal approximations):
 * <pre>
 *   G_t = beta G_{t-1} + c g_t g_t^T      (full-matrix AdaGrad: beta = 1, c = 1, G_t = sum_i g_i g_i^T;
 *                                          full-matrix RMSProp: c = 1 - beta, G_t = (1-beta) sum_i beta^(t-i) g_i g_i^T)
 *   A_t = (G_t^{1/2} + eps I)^{-1}
 *   x_{t+1} = x_t - eta A_t g_t
 * </pre>
 * The paper writes {@code A_t = G_t^{-1/2}}; {@code eps} regularizes it exactly as DL4J's diagonal AdaGrad
 * ({@code g / (sqrt(G) + eps)}, eps 1e-6), so with gradients that keep {@code G_t} diagonal this is DL4J's AdaGrad
 * (the test checks it). The inverse root is taken through the eigendecomposition of the {@code P x P} matrix
 * (commons-math's {@link EigenDecomposition}, which DL4J brings); P is small on {@link SaddleProblem}. Near a stationary point the mean gradient is
 * negligible, {@code E[g g^T]} is the noise covariance C, and the ideal preconditioner {@code E[g g^T]^{-1/2}}
 * turns C into the identity on C's support: the paper's isotropy mechanism ({@link NoiseIsotropy#fullMatrix}).
 * Plain Java over the parameter vector; not thread-safe.
 */
public final class FullMatrixPreconditioner {

    /** DL4J AdaGrad's epsilon. */
    public static final double DEFAULT_EPSILON = 1e-6;

    private final double beta;
    private final double weight;
    private final double epsilon;
    private double[][] g2;

    private FullMatrixPreconditioner(double beta, double weight, double epsilon) {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon is invalid: " + epsilon);
        }
        this.beta = beta;
        this.weight = weight;
        this.epsilon = epsilon;
    }

    /**
     * @param epsilon {@code >= 0}
     * @return full-matrix AdaGrad, {@code G_t = sum g g^T}
     */
    public static FullMatrixPreconditioner adaGrad(double epsilon) {
        return new FullMatrixPreconditioner(1, 1, epsilon);
    }

    /**
     * @param decay   beta in (0, 1)
     * @param epsilon {@code >= 0}
     * @return full-matrix RMSProp, {@code G_t = beta G_{t-1} + (1 - beta) g g^T}
     */
    public static FullMatrixPreconditioner rmsProp(double decay, double epsilon) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("decay is invalid: " + decay);
        }
        return new FullMatrixPreconditioner(decay, 1 - decay, epsilon);
    }

    /**
     * Accumulates {@code g} into G, then preconditions it: one eigendecomposition {@code G = V diag(lambda) V^T} per
     * call and {@code V diag(1 / (sqrt(lambda) + eps)) V^T g} as two matrix-vector products (the matrix
     * {@code A_t} itself is never formed, which saves two {@code P x P} products per step).
     *
     * @param g the gradient (length P, the same at every call), finite; not modified
     * @return {@code A_t g} (multiply by eta for the step)
     * @throws ArithmeticException if the accumulated G would overflow (a diverging run: its gradient's squares are
     *                             beyond the double range); the state is left as before the call
     */
    public double[] step(double[] g) {
        int p = g.length;
        if (g2 != null && g2.length != p) {
            throw new IllegalArgumentException("gradient length changed: " + p + " vs " + g2.length);
        }
        for (int k = 0; k < p; k++) {
            if (!Double.isFinite(g[k])) {
                throw new IllegalArgumentException("gradient has a non-finite entry at " + k + ": " + g[k]);
            }
        }
        double[][] next = new double[p][p];
        for (int k = 0; k < p; k++) {
            for (int l = 0; l < p; l++) {
                next[k][l] = (g2 == null ? 0 : beta * g2[k][l]) + weight * g[k] * g[l];
                if (!Double.isFinite(next[k][l])) {
                    throw new ArithmeticException("G_t overflows at entry (" + k + ", " + l + "): gradient entries "
                            + g[k] + " and " + g[l]);
                }
            }
        }
        g2 = next;
        EigenDecomposition e = eigen(g2);
        double[] values = support(e.getRealEigenvalues());
        RealMatrix v = e.getV();
        double[] c = v.preMultiply(g);
        for (int k = 0; k < p; k++) {
            c[k] /= Math.sqrt(values[k]) + epsilon;
        }
        return v.operate(c);
    }

    /** @return a copy of the current G ({@code null} before the first step) */
    public double[][] secondMoment() {
        if (g2 == null) {
            return null;
        }
        double[][] out = new double[g2.length][];
        for (int k = 0; k < g2.length; k++) {
            out[k] = g2[k].clone();
        }
        return out;
    }

    /**
     * @param g       a symmetric positive semi-definite matrix (only its upper triangle is read; rounding-level
     *                eigenvalues count as 0)
     * @param epsilon {@code >= 0}; with 0, G must be non-singular
     * @return {@code (G^{1/2} + eps I)^{-1}}
     */
    public static double[][] inverseRoot(double[][] g, double epsilon) {
        return inverseRootMatrix(g, epsilon).getData();
    }

    static RealMatrix inverseRootMatrix(double[][] g, double epsilon) {
        EigenDecomposition e = eigen(g);
        double[] values = support(e.getRealEigenvalues());
        double[] f = new double[values.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = 1 / (Math.sqrt(values[k]) + epsilon);
        }
        RealMatrix v = e.getV();
        return v.multiply(MatrixUtils.createRealDiagonalMatrix(f)).multiply(v.transpose());
    }

    /**
     * @param values eigenvalues of a positive semi-definite matrix
     * @return a copy in which those at the rounding level of the largest ({@code <= 1e-14 P max}) are 0 (their square
     *         root would exceed eps)
     */
    static double[] support(double[] values) {
        int p = values.length;
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double[] out = new double[p];
        for (int k = 0; k < p; k++) {
            out[k] = values[k] <= 1e-14 * p * max ? 0 : values[k];
        }
        return out;
    }

    /**
     * @param a a square symmetric matrix, finite (only its upper triangle is read; not modified)
     * @return its eigendecomposition, {@code A = V diag(values) V^T} with orthonormal columns of V
     */
    static EigenDecomposition eigen(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix must be square: row " + i + " has " + a[i].length
                        + " entries, expected " + n);
            }
            m[i] = a[i].clone();
            for (int j = 0; j < i; j++) {
                m[i][j] = a[j][i];
            }
            for (double v : m[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("matrix has a non-finite entry in row " + i + ": " + v);
                }
            }
        }
        return new EigenDecomposition(MatrixUtils.createRealMatrix(m));
    }
}
