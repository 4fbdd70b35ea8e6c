package io.github.adaloss.experiments.synthetic;

import java.util.Arrays;

/** The hyperparameter grids of the synthetic experiments. */
public final class Grids {

    /**
     * The one learning rate every AdaLoss / AdaGrad-Norm run uses, whatever its b0 ({@code alpha = 1}, {@code c = 0}).
     * At the large end of the grid ({@code b0 = 1e3}) the first step {@code eta / b0 = 0.3} sits just below the
     * gradient-descent edge {@code 2 / lambda_max(H) ~ 0.5} of the default problem; at the small end the first step
     * ({@code ~ eta / sqrt(L(0)) ~ 40}) is about 100 times too large and b must grow first.
     */
    public static final double ADAPTIVE_ETA = 300;

    /**
     * Multiples of the width's stability edge {@code 2 / lambda_max(H(0))} added to the gradient-descent grid, so the
     * best-tuned step is searched where the theory puts it (just below the edge) and a little beyond (the edge of the
     * kernel at initialization is not the edge of the whole trajectory).
     */
    public static final double[] EDGE_FRACTIONS = {0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5};

    /** Points per decade of the gradient-descent and Adam grids. */
    public static final int PER_DECADE = 4;

    private Grids() {
    }

    /** @return {@code b0 in {1e-3, ..., 1e3}} */
    public static double[] b0() {
        return powers(-3, 3);
    }

    /**
     * @param full whether the {@code --full} preset runs
     * @return the log grid of gradient-descent steps, {@value #PER_DECADE} per decade: {@code 1e-1 .. 1e2} by
     *         default (measured at seed 42: a quarter of the edge, about 0.13, already misses the target in 500
     *         iterations at m = 1000 and 4000, so smaller steps only cost time), {@code 1e-4 .. 1e2} with
     *         {@code --full}
     */
    public static double[] gdLogSteps(boolean full) {
        return logGrid(full ? -4 : -1, 2);
    }

    /**
     * @return the steps {@code ADAPTIVE_ETA / b0} for every b0 of {@link #b0()}: the step plain gradient descent
     *         would take with AdaLoss's learning rate and b frozen at b0
     */
    public static double[] adaptiveFirstSteps() {
        return Arrays.stream(b0()).map(b -> ADAPTIVE_ETA / b).sorted().toArray();
    }

    /**
     * @param full whether the {@code --full} preset runs
     * @param edge the width's stability edge {@code 2 / lambda_max(H(0))}
     * @return every gradient-descent step of one width, ascending: {@link #gdLogSteps}, {@link #EDGE_FRACTIONS}
     *         times the edge, and {@link #adaptiveFirstSteps()}
     */
    public static double[] gdSteps(boolean full, double edge) {
        double[] log = gdLogSteps(full);
        double[] first = adaptiveFirstSteps();
        double[] all = Arrays.copyOf(log, log.length + EDGE_FRACTIONS.length + first.length);
        for (int i = 0; i < EDGE_FRACTIONS.length; i++) {
            all[log.length + i] = EDGE_FRACTIONS[i] * edge;
        }
        System.arraycopy(first, 0, all, log.length + EDGE_FRACTIONS.length, first.length);
        Arrays.sort(all);
        return all;
    }

    /** @return the number of gradient-descent runs per width ({@link #gdSteps} has this length for every edge) */
    public static int gdStepCount(boolean full) {
        return gdLogSteps(full).length + EDGE_FRACTIONS.length + b0().length;
    }

    /**
     * @param full whether the {@code --full} preset runs
     * @return Adam learning rates, {@value #PER_DECADE} per decade: {@code 1e-3 .. 1e0} by default, {@code 1e-4 ..
     *         1e0} with {@code --full}
     */
    public static double[] adamRates(boolean full) {
        return logGrid(full ? -4 : -3, 0);
    }

    static double[] powers(int from, int to) {
        double[] v = new double[to - from + 1];
        for (int k = from; k <= to; k++) {
            v[k - from] = Math.pow(10, k);
        }
        return v;
    }

    /** @return {@code 10^(k / PER_DECADE)} for k from {@code from * PER_DECADE} to {@code to * PER_DECADE} */
    static double[] logGrid(int from, int to) {
        double[] v = new double[(to - from) * PER_DECADE + 1];
        for (int k = 0; k < v.length; k++) {
            int e = from * PER_DECADE + k;
            v[k] = e % PER_DECADE == 0 ? Math.pow(10, e / PER_DECADE) : Math.pow(10, (double) e / PER_DECADE);
        }
        return v;
    }
}
