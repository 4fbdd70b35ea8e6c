package io.github.adaloss.experiments.overparam;

import java.util.Arrays;
import java.util.Random;

/**
 * The depth-3 MLP of the over-parameterization sweep in plain Java: {@code d - h - h - k}, two ReLU hidden layers
 * with biases, identity output, DL4J's MSE loss {@code L = (1 / (n k)) sum_i sum_j (f_ij - y_ij)^2} (mean over the k
 * outputs and the n examples), full-batch gradient descent, double precision. The same network and loss as
 * {@link OverparamExperiment#network} (DL4J), without DL4J's per-operation overhead, which dominates at these sizes
 * (about 2 ms per iteration for h = 28 on Iris against 0.1-0.3 ms here): long runs to a loss threshold become
 * affordable. Weight layout as DL4J's dense layers: {@code W[in][out]} row-major; Xavier initialization
 * {@code N(0, 2 / (fanIn + fanOut))}, biases 0.
 *
 * <p>Not thread-safe: the forward caches live in the instance.
 */
public final class PlainMlp {

    final int d;
    final int h;
    final int k;
    /** Parameters in DL4J's order: W1 [d][h], b1 [h], W2 [h][h], b2 [h], W3 [h][k], b3 [k]. */
    final double[] params;
    private final int o1;
    private final int o2;
    private final int o3;
    private final int o4;
    private final int o5;
    private int n = -1;
    private double[] a1;
    private double[] a2;
    private double[] f;
    private double[] d1;
    private double[] d2;
    private double[] wt;

    /**
     * @param d      inputs
     * @param h      hidden width
     * @param k      outputs
     * @param params the parameters in DL4J's order (copied)
     * @throws IllegalArgumentException if a size is below 1 or {@code params} has the wrong length
     */
    public PlainMlp(int d, int h, int k, double[] params) {
        if (d < 1 || h < 1 || k < 1) {
            throw new IllegalArgumentException("d, h, k must be >= 1, got d=" + d + ", h=" + h + ", k=" + k);
        }
        this.d = d;
        this.h = h;
        this.k = k;
        o1 = d * h;
        o2 = o1 + h;
        o3 = o2 + h * h;
        o4 = o3 + h;
        o5 = o4 + h * k;
        if (params.length != o5 + k) {
            throw new IllegalArgumentException("params must have length " + (o5 + k) + " for d=" + d + ", h=" + h
                    + ", k=" + k + ", got " + params.length);
        }
        this.params = params.clone();
    }

    /**
     * @return a network with Xavier-initialized weights {@code N(0, 2 / (fanIn + fanOut))} and zero biases, drawn
     *         from {@code new Random(seed)} in the order W1, W2, W3 (row-major)
     */
    public static PlainMlp xavier(int d, int h, int k, long seed) {
        double[] p = new double[(int) OverparamExperiment.parameterCount(d, h, k)];
        Random rnd = new Random(seed);
        int at = 0;
        int[][] layers = {{d, h}, {h, h}, {h, k}};
        for (int[] l : layers) {
            double sd = Math.sqrt(2.0 / (l[0] + l[1]));
            for (int i = 0; i < l[0] * l[1]; i++) {
                p[at++] = sd * rnd.nextGaussian();
            }
            at += l[1];
        }
        return new PlainMlp(d, h, k, p);
    }

    /** @return the number of parameters */
    public int parameterCount() {
        return params.length;
    }

    /** @return a copy of the parameters (DL4J order) */
    public double[] parameters() {
        return params.clone();
    }

    private void ensure(int rows) {
        if (rows != n) {
            n = rows;
            a1 = new double[n * h];
            a2 = new double[n * h];
            f = new double[n * k];
            d1 = new double[n * h];
            d2 = new double[n * h];
            wt = new double[h * Math.max(h, k)];
        }
    }

    /**
     * Forward pass; caches the activations.
     *
     * @param x inputs [n][d] row-major
     * @param rows n
     * @return the outputs [n][k] row-major (a view of the cache: copy before the next call)
     */
    double[] forward(double[] x, int rows) {
        if (x.length != rows * d) {
            throw new IllegalArgumentException("x must hold rows * d = " + rows * d + " values, got " + x.length);
        }
        ensure(rows);
        affine(x, d, params, 0, params, o1, h, a1);
        relu(a1);
        affine(a1, h, params, o2, params, o3, h, a2);
        relu(a2);
        affine(a2, h, params, o4, params, o5, k, f);
        return f;
    }

    /** @return the loss {@code (1 / (n k)) sum (f - y)^2} at the current parameters */
    public double loss(double[] x, double[] y, int rows) {
        double[] out = forward(x, rows);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            double r = out[i] - y[i];
            s += r * r;
        }
        return s / out.length;
    }

    /**
     * @param x    inputs [n][d]
     * @param y    targets [n][k]
     * @param rows n
     * @param grad filled with the gradient of the loss (DL4J order)
     * @return the loss at the current parameters
     */
    public double gradient(double[] x, double[] y, int rows, double[] grad) {
        double[] out = forward(x, rows);
        double[] g = new double[out.length];
        double s = 0;
        double c = 2.0 / out.length;
        for (int i = 0; i < out.length; i++) {
            double r = out[i] - y[i];
            s += r * r;
            g[i] = c * r;
        }
        backward(x, g, grad);
        return s / out.length;
    }

    /**
     * Reverse pass from the output cotangent {@code g = dL/df} [n][k] at the cached forward pass: {@code J^T g}.
     */
    private void backward(double[] x, double[] g, double[] grad) {
        Arrays.fill(grad, 0);
        outerAccumulate(a2, g, n, h, k, grad, o4, o5);
        transpose(params, o4, h, k, wt);
        multiply(g, n, k, wt, h, d2);
        mask(d2, a2);
        outerAccumulate(a1, d2, n, h, h, grad, o2, o3);
        transpose(params, o2, h, h, wt);
        multiply(d2, n, h, wt, h, d1);
        mask(d1, a1);
        outerAccumulate(x, d1, n, d, h, grad, 0, o1);
    }

    /**
     * Forward-mode directional derivative of the outputs at the cached forward pass: {@code J v} [n][k].
     */
    private double[] jacobianTimes(double[] x, double[] v) {
        double[] z1 = new double[n * h];
        affine(x, d, v, 0, v, o1, h, z1);
        mask(z1, a1);
        double[] z2 = new double[n * h];
        affine(z1, h, params, o2, null, 0, h, z2);
        addAffine(a1, h, v, o2, v, o3, h, z2);
        mask(z2, a2);
        double[] out = new double[n * k];
        affine(z2, h, params, o4, null, 0, k, out);
        addAffine(a2, h, v, o4, v, o5, k, out);
        return out;
    }

    /**
     * Largest eigenvalue of the Gauss-Newton matrix {@code G = (2 / (n k)) J^T J} of the loss at the current
     * parameters by power iteration (exact products: forward mode for {@code J v}, the reverse pass for
     * {@code J^T u}); the same quantity as {@link Curvature#lambdaMax} computes through DL4J.
     *
     * @param x          inputs [n][d]
     * @param rows       n
     * @param iterations power iterations, >= 1
     * @param seed       seed of the starting vector
     * @return the Rayleigh quotient of the last iterate
     */
    public double lambdaMax(double[] x, int rows, int iterations, long seed) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        forward(x, rows);
        Random rnd = new Random(seed);
        double[] v = new double[params.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian();
        }
        scale(v, 1 / norm(v));
        double[] gv = new double[v.length];
        double lambda = Double.NaN;
        double c = 2.0 / (rows * k);
        for (int it = 0; it < iterations; it++) {
            double[] jv = jacobianTimes(x, v);
            for (int i = 0; i < jv.length; i++) {
                jv[i] *= c;
            }
            backward(x, jv, gv);
            lambda = 0;
            for (int i = 0; i < v.length; i++) {
                lambda += v[i] * gv[i];
            }
            double nv = norm(gv);
            if (nv == 0 || !Double.isFinite(nv)) {
                break;
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = gv[i] / nv;
            }
        }
        return lambda;
    }

    /**
     * Full-batch gradient descent until the loss is at most {@code threshold * L(0)} or {@code cap} updates.
     *
     * @param x         inputs [n][d]
     * @param y         targets [n][k]
     * @param rows      n
     * @param step      learning rate
     * @param cap       at most this many updates
     * @param threshold relative loss at which to stop
     * @return the loss after every update (index 0: at the start); shorter than {@code cap + 1} when the threshold
     *         was reached or the loss stopped being finite
     */
    public double[] descend(double[] x, double[] y, int rows, double step, int cap, double threshold) {
        double[] loss = new double[cap + 1];
        double[] grad = new double[params.length];
        int t = 0;
        while (true) {
            loss[t] = t < cap ? gradient(x, y, rows, grad) : loss(x, y, rows);
            if (!Double.isFinite(loss[t]) || loss[t] <= threshold * loss[0] || t == cap) {
                break;
            }
            for (int i = 0; i < params.length; i++) {
                params[i] -= step * grad[i];
            }
            t++;
        }
        return Arrays.copyOf(loss, t + 1);
    }

    /**
     * @param x      inputs [n][d]
     * @param labels class per row
     * @return the fraction of rows whose largest output is the label's
     */
    public double accuracy(double[] x, int[] labels) {
        double[] out = forward(x, labels.length);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (out[i * k + j] > out[i * k + best]) {
                    best = j;
                }
            }
            right += best == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }

    /** out[n][q] = in[n][p] W[p][q] (+ b[q] if b != null), W at offset wo, b at offset bo. */
    private void affine(double[] in, int p, double[] w, int wo, double[] b, int bo, int q, double[] out) {
        int rows = in.length / p;
        for (int i = 0; i < rows; i++) {
            int r = i * q;
            if (b != null) {
                System.arraycopy(b, bo, out, r, q);
            } else {
                Arrays.fill(out, r, r + q, 0);
            }
        }
        addAffine(in, p, w, wo, null, 0, q, out);
    }

    /** out[n][q] += in[n][p] W[p][q] (+ b[q] if b != null). */
    private static void addAffine(double[] in, int p, double[] w, int wo, double[] b, int bo, int q, double[] out) {
        int rows = in.length / p;
        for (int i = 0; i < rows; i++) {
            int r = i * q;
            if (b != null) {
                for (int j = 0; j < q; j++) {
                    out[r + j] += b[bo + j];
                }
            }
            for (int l = 0; l < p; l++) {
                double a = in[i * p + l];
                if (a == 0) {
                    continue;
                }
                int wr = wo + l * q;
                for (int j = 0; j < q; j++) {
                    out[r + j] += a * w[wr + j];
                }
            }
        }
    }

    /** out[n][q] = g[n][p] t[p][q]. */
    private static void multiply(double[] g, int rows, int p, double[] t, int q, double[] out) {
        Arrays.fill(out, 0, rows * q, 0);
        for (int i = 0; i < rows; i++) {
            int r = i * q;
            for (int l = 0; l < p; l++) {
                double a = g[i * p + l];
                if (a == 0) {
                    continue;
                }
                int tr = l * q;
                for (int j = 0; j < q; j++) {
                    out[r + j] += a * t[tr + j];
                }
            }
        }
    }

    /** grad[wo + l*q + j] += sum_i a[i][l] g[i][j]; grad[bo + j] += sum_i g[i][j]. */
    private static void outerAccumulate(double[] a, double[] g, int rows, int p, int q, double[] grad, int wo,
                                        int bo) {
        for (int i = 0; i < rows; i++) {
            int gr = i * q;
            for (int l = 0; l < p; l++) {
                double av = a[i * p + l];
                if (av == 0) {
                    continue;
                }
                int w = wo + l * q;
                for (int j = 0; j < q; j++) {
                    grad[w + j] += av * g[gr + j];
                }
            }
            for (int j = 0; j < q; j++) {
                grad[bo + j] += g[gr + j];
            }
        }
    }

    /** t[q][p] = (w[p][q] at offset o) transposed. */
    private static void transpose(double[] w, int o, int p, int q, double[] t) {
        for (int l = 0; l < p; l++) {
            for (int j = 0; j < q; j++) {
                t[j * p + l] = w[o + l * q + j];
            }
        }
    }

    private static void relu(double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0) {
                a[i] = 0;
            }
        }
    }

    /** v[i] = 0 where the activation is 0 (ReLU derivative, 0 at the kink as DL4J). */
    private static void mask(double[] v, double[] act) {
        for (int i = 0; i < v.length; i++) {
            if (act[i] <= 0) {
                v[i] = 0;
            }
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    private static void scale(double[] v, double c) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= c;
        }
    }
}
