package io.github.adaloss.experiments.synthetic;

/** The hyperparameter grids of the synthetic experiments. */
public final class Grids {

    /**
     * The one learning rate every AdaLoss / AdaGrad-Norm run uses, whatever its b0 ({@code alpha = 1}, {@code c = 0}).
     * At the large end of the grid ({@code b0 = 1e3}) the first step {@code eta / b0 = 0.3} sits just below the
     * gradient-descent edge {@code 2 / lambda_max(H) ~ 0.44} of the default problem; at the small end the first step
     * ({@code ~ eta / sqrt(L(0)) ~ 40}) is about 100 times too large and b must grow first.
     */
    public static final double ADAPTIVE_ETA = 300;

    private Grids() {
    }

    /** @return {@code b0 in {1e-3, ..., 1e3}} */
    public static double[] b0() {
        return powers(-3, 3);
    }

    /** @return gradient-descent step sizes {@code {1e-4, ..., 1e2}}: as many decades as the b0 grid */
    public static double[] gdSteps() {
        return powers(-4, 2);
    }

    /** @return Adam learning rates {@code {1e-4, ..., 1e0}} */
    public static double[] adamRates() {
        return powers(-4, 0);
    }

    static double[] powers(int from, int to) {
        double[] v = new double[to - from + 1];
        for (int k = from; k <= to; k++) {
            v[k - from] = Math.pow(10, k);
        }
        return v;
    }
}
