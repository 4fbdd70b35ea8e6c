package io.github.adaloss.experiments.synthetic;

import java.util.Arrays;

/** The hyperparameter grids of the synthetic experiments. */
public final class Grids {

    /**
     * The multiples {@code rho} of the stability edge at which the b0 grid of AdaLoss and AdaGrad-Norm starts: b0 is
     * chosen so that AdaLoss's first step {@code eta / sqrt(b0^2 + l_0)} is {@code rho * 2 / lambda_max(H(0))}. The
     * grid crosses the edge: two decades above it (b must grow before the step is stable), at it, and two decades
     * below it (the slow side, where AdaLoss cannot help itself: b only grows). {@code rho = }{@link #RHO_MAX} is
     * {@code b0 = }{@link #B0_MIN}, the limit of a vanishing b0.
     */
    public static final double[] FIRST_STEP_MULTIPLES = {100, 10, 2, 0.5, 0.1, 0.01};

    /** The largest first-step multiple; its b0 is {@link #B0_MIN}. */
    public static final double RHO_MAX = 100;

    /** The smallest b0 of the grid (first step {@link #RHO_MAX} times the edge). */
    public static final double B0_MIN = 1e-3;

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

    /**
     * The one learning rate of AdaLoss and AdaGrad-Norm at a width, derived from the kernel at initialization before
     * any run: {@code eta = RHO_MAX * (2 / lambda_max(H(0))) * sqrt(B0_MIN^2 + l_0)}, so that the smallest b0 starts
     * at {@link #RHO_MAX} times the stability edge ({@code l_0} the initial loss, {@code alpha = 1}).
     *
     * @param k the kernel of the width's network at initialization
     * @return eta
     */
    public static double adaptiveEta(KernelAtInit k) {
        return RHO_MAX * k.edge() * Math.sqrt(B0_MIN * B0_MIN + k.initialLoss());
    }

    /**
     * @param k   the kernel at initialization
     * @param rho a first-step multiple of the edge, at most {@link #RHO_MAX}
     * @return the b0 with {@code adaptiveEta(k) / sqrt(b0^2 + l_0) = rho * edge}
     */
    public static double b0For(KernelAtInit k, double rho) {
        if (!(rho > 0 && rho <= RHO_MAX)) {
            throw new IllegalArgumentException("rho must be in (0, " + RHO_MAX + "], got " + rho);
        }
        if (rho == RHO_MAX) {
            return B0_MIN;
        }
        double first = adaptiveEta(k) / (rho * k.edge());
        return Math.sqrt(first * first - k.initialLoss());
    }

    /**
     * @param k  the kernel at initialization
     * @param b0 an initial accumulator
     * @return AdaLoss's first step {@code adaptiveEta(k) / sqrt(b0^2 + l_0)} as a multiple of the edge
     */
    public static double firstStepMultiple(KernelAtInit k, double b0) {
        return adaptiveEta(k) / Math.sqrt(b0 * b0 + k.initialLoss()) / k.edge();
    }

    /** @return the b0 of every {@link #FIRST_STEP_MULTIPLES} at this kernel, in grid order (ascending b0) */
    public static double[] b0(KernelAtInit k) {
        return Arrays.stream(FIRST_STEP_MULTIPLES).map(rho -> b0For(k, rho)).toArray();
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
     * @param full whether the {@code --full} preset runs
     * @param edge the width's stability edge {@code 2 / lambda_max(H(0))}
     * @return every gradient-descent step of one width, ascending: {@link #gdLogSteps} and {@link #EDGE_FRACTIONS}
     *         times the edge
     */
    public static double[] gdSteps(boolean full, double edge) {
        double[] log = gdLogSteps(full);
        double[] all = Arrays.copyOf(log, log.length + EDGE_FRACTIONS.length);
        for (int i = 0; i < EDGE_FRACTIONS.length; i++) {
            all[log.length + i] = EDGE_FRACTIONS[i] * edge;
        }
        Arrays.sort(all);
        return all;
    }

    /** @return the number of gradient-descent runs per width ({@link #gdSteps} has this length for every edge) */
    public static int gdStepCount(boolean full) {
        return gdLogSteps(full).length + EDGE_FRACTIONS.length;
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
