package io.github.adaloss.experiments.synthetic;

import java.util.Arrays;

/**
 * Predictions from the kernel at initialization (plain Java, independent of DL4J): for the objective
 * {@code L = 1/2 ||r||^2} with residual {@code r = f(X) - y}, a gradient step of size {@code s} changes the outputs by
 * {@code -s H r} to first order ({@code H = J J^T}, the empirical NTK Gram at initialization). The linearized model
 * therefore evolves as
 * <pre>
 *   gradient descent:  r_{t+1} = (I - s H) r_t
 *   heavy ball:        r_{t+1} = (I - s H) r_t + beta (r_t - r_{t-1})
 * </pre>
 * and its loss curve {@code 1/2 ||r_t||^2} is what the NTK theory predicts for a wide network. The asymptotic loss
 * rates follow from the eigenvalues {@code lambda_i} of H alone: {@code max_i (1 - s lambda_i)^2} for gradient descent
 * and {@code max_i |z_i|^2} for heavy ball, {@code z_i} the roots of {@code z^2 - (1 + beta - s lambda_i) z + beta}
 * (Polyak 1964; {@code = beta} when every mode is under-damped).
 */
public final class LinearizedDynamics {

    private final double[][] gram;
    private final double[] r0;

    /**
     * @param gram the symmetric n x n kernel H (copied)
     * @param r0   the initial residual (copied)
     */
    public LinearizedDynamics(double[][] gram, double[] r0) {
        if (gram.length != r0.length) {
            throw new IllegalArgumentException("gram must be " + r0.length + " x " + r0.length + ", got "
                    + gram.length + " rows");
        }
        this.gram = new double[gram.length][];
        for (int i = 0; i < gram.length; i++) {
            if (gram[i].length != r0.length) {
                throw new IllegalArgumentException("gram row " + i + " has " + gram[i].length + " entries, expected "
                        + r0.length);
            }
            this.gram[i] = gram[i].clone();
        }
        this.r0 = r0.clone();
    }

    /** @return {@code 1/2 ||r0||^2}, the initial loss */
    public double initialLoss() {
        return 0.5 * dot(r0, r0);
    }

    /** @return {@code r0^T H r0 = ||grad L||^2} at initialization */
    public double initialGradientNormSquared() {
        return dot(r0, times(r0));
    }

    /**
     * @param step       s
     * @param iterations T
     * @return the predicted loss curve of gradient descent, {@code T + 1} values
     */
    public double[] gradientDescent(double step, int iterations) {
        return heavyBall(step, 0, iterations);
    }

    /**
     * @param step       s
     * @param beta       the momentum (0: gradient descent)
     * @param iterations T
     * @return the predicted loss curve of heavy ball, {@code T + 1} values (it stops growing at a non-finite value)
     */
    public double[] heavyBall(double step, double beta, int iterations) {
        double[] r = r0.clone();
        double[] previous = r0.clone();
        double[] loss = new double[iterations + 1];
        loss[0] = initialLoss();
        for (int t = 1; t <= iterations; t++) {
            double[] hr = times(r);
            double[] next = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                next[i] = r[i] - step * hr[i] + beta * (r[i] - previous[i]);
            }
            previous = r;
            r = next;
            loss[t] = 0.5 * dot(r, r);
            if (!Double.isFinite(loss[t])) {
                return Arrays.copyOf(loss, t + 1);
            }
        }
        return loss;
    }

    /**
     * @param loss a loss curve
     * @param tau  relative target
     * @return the first t with {@code loss[t] <= tau loss[0]}, -1 if none
     */
    public static int iterationsTo(double[] loss, double tau) {
        for (int t = 0; t < loss.length; t++) {
            if (loss[t] <= tau * loss[0]) {
                return t;
            }
        }
        return -1;
    }

    /**
     * @param eigenvalues the eigenvalues of H
     * @param step        s
     * @return the asymptotic per-iteration loss rate of gradient descent, {@code max_i (1 - s lambda_i)^2}
     */
    public static double gradientDescentRate(double[] eigenvalues, double step) {
        double worst = 0;
        for (double l : eigenvalues) {
            worst = Math.max(worst, (1 - step * l) * (1 - step * l));
        }
        return worst;
    }

    /**
     * @param eigenvalues the eigenvalues of H
     * @param step        s
     * @param beta        momentum
     * @return the asymptotic per-iteration loss rate of heavy ball, {@code max_i |z_i|^2} over the roots of
     *         {@code z^2 - (1 + beta - s lambda_i) z + beta}
     */
    public static double heavyBallRate(double[] eigenvalues, double step, double beta) {
        double worst = 0;
        for (double l : eigenvalues) {
            double a = 1 + beta - step * l;
            double disc = a * a - 4 * beta;
            double modulus = disc < 0 ? Math.sqrt(beta) : Math.max(Math.abs((a + Math.sqrt(disc)) / 2),
                    Math.abs((a - Math.sqrt(disc)) / 2));
            worst = Math.max(worst, modulus * modulus);
        }
        return worst;
    }

    private double[] times(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            double[] row = gram[i];
            for (int j = 0; j < v.length; j++) {
                s += row[j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
