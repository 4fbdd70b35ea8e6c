package io.github.adaloss.experiments.practitioner;

import java.util.Random;

/**
 * Friedman's first regression problem (J. H. Friedman, "Multivariate adaptive regression splines", Ann. Statist.
 * 1991; also scikit-learn's {@code make_friedman1}): ten inputs {@code x_j ~ U(0, 1)}, of which five matter,
 * <pre>
 *   y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + noise,   noise ~ N(0, 1)
 * </pre>
 * Targets range over about 0..30 (mean about 14.4, standard deviation about 5): a realistic scale, not [0, 1], so a
 * mean squared loss starts near 200, two decades above a cross-entropy.
 */
public final class Friedman1 {

    /** Number of inputs. */
    public static final int FEATURES = 10;

    private Friedman1() {
    }

    /**
     * @param x the inputs (at least 5 used)
     * @return the noise-free target
     */
    public static double target(double[] x) {
        return 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4];
    }

    /**
     * @param n    number of examples, {@code >= 1}
     * @param seed random seed
     * @return rows of 11 numbers: the 10 inputs, then the target (with noise)
     */
    public static double[][] generate(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        Random rnd = new Random(seed);
        double[][] rows = new double[n][FEATURES + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                rows[i][j] = rnd.nextDouble();
            }
            rows[i][FEATURES] = target(rows[i]) + rnd.nextGaussian();
        }
        return rows;
    }
}
