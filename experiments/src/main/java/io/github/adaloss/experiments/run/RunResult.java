package io.github.adaloss.experiments.run;

import java.util.Arrays;

/**
 * One training run: the loss at every iteration ({@code loss[t]} = loss at the parameters after t updates) and,
 * for the AdaLoss family, the accumulator {@code b[t]} (NaN otherwise). A run that produced a non-finite loss or
 * blew past {@link #DIVERGENCE_FACTOR} times its initial loss is stopped and marked diverged.
 *
 * @param experiment  experiment name (e.g. "robustness")
 * @param optimizer   optimizer name
 * @param parameter   the varied hyperparameter's name (e.g. "b0", "lr")
 * @param value       its value
 * @param width       network width (0 when not applicable)
 * @param seed        seed
 * @param loss        loss curve, length iterations + 1 (shorter if diverged)
 * @param b           accumulator curve (same length; NaN where not applicable)
 * @param diverged    whether the run diverged
 * @param accuracy    final accuracy for classification runs, NaN otherwise
 */
public record RunResult(String experiment, String optimizer, String parameter, double value, int width, long seed,
                        double[] loss, double[] b, boolean diverged, double accuracy) {

    /** A loss above this multiple of the initial loss counts as divergence. */
    public static final double DIVERGENCE_FACTOR = 1e6;
    /** The relative loss target of the summary table. */
    public static final double TARGET = 1e-4;
    /**
     * Synthetic runs (except the momentum tails) stop once {@code loss <= EARLY_STOP * loss[0]}, two decades below
     * {@link #TARGET}: nothing after that changes a verdict, and it saves most of the run time of converging runs.
     */
    public static final double EARLY_STOP = 1e-6;

    /** @return the first iteration t with {@code loss[t] <= TARGET * loss[0]}, or -1 */
    public int iterationsToTarget() {
        for (int t = 0; t < loss.length; t++) {
            if (loss[t] <= TARGET * loss[0]) {
                return t;
            }
        }
        return -1;
    }

    /** @return true if the relative loss target was reached */
    public boolean reachedTarget() {
        return iterationsToTarget() >= 0;
    }

    /** @return the last loss */
    public double finalLoss() {
        return loss[loss.length - 1];
    }

    /** @return the last accumulator value, NaN if none */
    public double finalB() {
        return b.length == 0 ? Double.NaN : b[b.length - 1];
    }

    /** @return "diverged", "not reached", or the iteration count */
    public String status() {
        if (diverged) {
            return "diverged";
        }
        int t = iterationsToTarget();
        return t < 0 ? "not reached" : Integer.toString(t);
    }

    /** @return a short label like "AdaLoss b0=0.001 m=1000" */
    public String label() {
        return optimizer + " " + parameter + "=" + Formats.number(value) + (width > 0 ? " m=" + width : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunResult r && label().equals(r.label()) && seed == r.seed && experiment.equals(r.experiment)
                && Arrays.equals(loss, r.loss) && Arrays.equals(b, r.b);
    }

    @Override
    public int hashCode() {
        return 31 * label().hashCode() + Arrays.hashCode(loss);
    }
}
