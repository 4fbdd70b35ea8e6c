package io.github.adaloss.ntk.kernel;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The extremes of the spectrum of a large symmetric Gram matrix without a dense eigendecomposition: Lanczos with
 * full reorthogonalization (Golub and Van Loan, Matrix Computations, 10.1), one matrix-vector product with the Gram
 * (in its own type, float or double) per iteration, everything else in double. Every {@link #CHECK_EVERY} iterations
 * the tridiagonal {@code T_m} is diagonalized (implicit QL, tracking only the last row of its eigenvectors); a Ritz
 * value {@code theta_i} is converged when its residual {@code ||K y_i - theta_i y_i|| = beta_m |s_mi|} is at most
 * {@code tolerance * |lambda_max|}. It stops when lambda_min, lambda_max and the top k have converged, or after
 * {@code maxIterations} (at most n: then the Krylov space is the whole space and the values are exact up to
 * rounding). Work: m products of the Gram with a vector ({@code m n^2} multiply-adds) and {@code m^2 n} for the
 * reorthogonalization; memory: m + 1 Lanczos vectors of n doubles. The starting vector comes from {@code seed}.
 *
 * @param lambdaMin   smallest Ritz value
 * @param lambdaMax   largest Ritz value
 * @param top         the k largest Ritz values, descending
 * @param residualMin residual bound of lambdaMin (absolute)
 * @param residualMax residual bound of lambdaMax (absolute)
 * @param iterations  Lanczos steps taken
 * @param converged   whether lambdaMin, lambdaMax and the top k met the tolerance
 */
public record LanczosSpectrum(double lambdaMin, double lambdaMax, double[] top, double residualMin,
                              double residualMax, int iterations, boolean converged) {

    /** Iterations between convergence checks. */
    public static final int CHECK_EVERY = 10;

    /**
     * @param gram          symmetric [n, n] (FLOAT or DOUBLE), n &gt;= 1, finite; only read
     * @param topK          number of largest eigenvalues wanted, in [1, n]
     * @param maxIterations Lanczos steps at most, &gt;= 1 (capped at n)
     * @param tolerance     relative residual accepted, in (0, 1)
     * @param seed          seed of the starting vector
     * @return the extremes
     */
    public static LanczosSpectrum of(INDArray gram, int topK, int maxIterations, double tolerance, long seed) {
        if (gram == null || gram.rank() != 2 || gram.rows() != gram.columns() || gram.rows() == 0) {
            throw new IllegalArgumentException("gram must be a non-empty square matrix, got "
                    + (gram == null ? "null" : Arrays.toString(gram.shape())));
        }
        int n = (int) gram.rows();
        DataType type = gram.dataType() == DataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
        INDArray k = gram.dataType() == type ? gram : gram.castTo(type);
        SymmetricOperator op = new SymmetricOperator() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void multiply(double[] x, double[] y) {
                INDArray v = Nd4j.createFromArray(x).castTo(type).reshape(n, 1);
                double[] w = k.mmul(v).castTo(DataType.DOUBLE).data().asDouble();
                System.arraycopy(w, 0, y, 0, n);
            }
        };
        return of(op, topK, maxIterations, tolerance, seed);
    }

    /**
     * The same on any symmetric operator (for example a Gram matrix in a memory-mapped file, {@link FloatGram}):
     * one {@link SymmetricOperator#multiply} per iteration; memory m + 2 vectors of n doubles.
     *
     * @param op            symmetric, n = {@code op.size()} &gt;= 1; its products must be finite
     * @param topK          number of largest eigenvalues wanted, in [1, n]
     * @param maxIterations Lanczos steps at most, &gt;= 1 (capped at n)
     * @param tolerance     relative residual accepted, in (0, 1)
     * @param seed          seed of the starting vector
     * @return the extremes
     */
    public static LanczosSpectrum of(SymmetricOperator op, int topK, int maxIterations, double tolerance,
                                     long seed) {
        if (op == null || op.size() < 1) {
            throw new IllegalArgumentException("op must be an operator of size >= 1, got "
                    + (op == null ? "null" : "size " + op.size()));
        }
        int n = op.size();
        if (topK < 1 || topK > n) {
            throw new IllegalArgumentException("topK must be in [1, " + n + "], got " + topK);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        int m = Math.min(maxIterations, n);
        double[][] q = new double[m + 1][];
        double[] alpha = new double[m];
        double[] beta = new double[m];
        Random rng = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        scale(v, 1 / norm(v));
        q[0] = v;
        double[][] ritz = null;
        int steps = 0;
        for (int j = 0; j < m; j++) {
            double[] w = new double[n];
            op.multiply(q[j], w);
            if (!Double.isFinite(dot(w, w))) {
                throw new IllegalArgumentException("op returned a non-finite product at Lanczos step " + j);
            }
            alpha[j] = dot(w, q[j]);
            // full reorthogonalization, twice ("twice is enough", Parlett)
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i <= j; i++) {
                    axpy(-dot(w, q[i]), q[i], w);
                }
            }
            beta[j] = norm(w);
            steps = j + 1;
            boolean last = j == m - 1 || beta[j] <= 1e-14 * Math.abs(alpha[0]);
            if (last || steps % CHECK_EVERY == 0) {
                ritz = ritz(alpha, beta, steps);
                if (last || converged(ritz, topK, tolerance)) {
                    break;
                }
            }
            q[j + 1] = scale(w, 1 / beta[j]);
        }
        double[] values = ritz[0];
        double[] residuals = ritz[1];
        int s = values.length;
        double[] top = new double[Math.min(topK, s)];
        for (int i = 0; i < top.length; i++) {
            top[i] = values[s - 1 - i];
        }
        return new LanczosSpectrum(values[0], values[s - 1], top, residuals[0], residuals[s - 1], steps,
                converged(ritz, topK, tolerance));
    }

    /** @return ascending Ritz values of T_m and their residual bounds beta_m |s_mi| */
    private static double[][] ritz(double[] alpha, double[] beta, int m) {
        double[] d = Arrays.copyOf(alpha, m);
        double[] e = new double[m];
        System.arraycopy(beta, 0, e, 0, m - 1);
        double[] lastRow = new double[m];
        lastRow[m - 1] = 1;
        tridiagonalQl(d, e, lastRow);
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
        double[] values = new double[m];
        double[] residuals = new double[m];
        for (int i = 0; i < m; i++) {
            values[i] = d[order[i]];
            residuals[i] = Math.abs(beta[m - 1] * lastRow[order[i]]);
        }
        return new double[][] {values, residuals};
    }

    private static boolean converged(double[][] ritz, int topK, double tolerance) {
        double[] values = ritz[0];
        double[] residuals = ritz[1];
        int s = values.length;
        if (s < topK) {
            return false;
        }
        double bound = tolerance * Math.max(Math.abs(values[s - 1]), Math.abs(values[0]));
        if (residuals[0] > bound) {
            return false;
        }
        for (int i = 0; i < topK; i++) {
            if (residuals[s - 1 - i] > bound) {
                return false;
            }
        }
        return true;
    }

    /**
     * Implicit QL with Wilkinson shifts on a symmetric tridiagonal matrix (Numerical Recipes' tqli): on return
     * {@code d} holds the eigenvalues (unsorted) and {@code z} the last row of the eigenvector matrix (z must start
     * as the last row of the identity); {@code e[i]} is the off-diagonal between i and i + 1 (e[m - 1] unused).
     */
    static void tridiagonalQl(double[] d, double[] e, double[] z) {
        int n = d.length;
        e[n - 1] = 0;
        for (int l = 0; l < n; l++) {
            int iter = 0;
            int m;
            do {
                for (m = l; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= 1e-16 * dd) {
                        break;
                    }
                }
                if (m != l) {
                    if (iter++ == 100) {
                        throw new IllegalStateException("tridiagonal QL did not converge");
                    }
                    double g = (d[l + 1] - d[l]) / (2 * e[l]);
                    double r = Math.hypot(g, 1);
                    g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                    double s = 1;
                    double c = 1;
                    double p = 0;
                    int i;
                    for (i = m - 1; i >= l; i--) {
                        double f = s * e[i];
                        double b = c * e[i];
                        r = Math.hypot(f, g);
                        e[i + 1] = r;
                        if (r == 0) {
                            d[i + 1] -= p;
                            e[m] = 0;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2 * c * b;
                        p = s * r;
                        d[i + 1] = g + p;
                        g = c * r - b;
                        f = z[i + 1];
                        z[i + 1] = s * z[i] + c * f;
                        z[i] = c * z[i] - s * f;
                    }
                    if (r == 0 && i >= l) {
                        continue;
                    }
                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0;
                }
            } while (m != l);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LanczosSpectrum l && lambdaMin == l.lambdaMin && lambdaMax == l.lambdaMax
                && Arrays.equals(top, l.top) && iterations == l.iterations;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(top) + Double.hashCode(lambdaMin) + iterations;
    }

    @Override
    public String toString() {
        return "LanczosSpectrum(lambdaMin=" + lambdaMin + ", lambdaMax=" + lambdaMax + ", iterations=" + iterations
                + ", converged=" + converged + ")";
    }
}
