package io.github.adaloss.experiments.practitioner;

/**
 * How far a result may fall short of a reference and still count as "as good": 2 points of accuracy for a
 * classifier, 10% relative for a regression's error (issue 11's goals). The normalized shortfall is the shortfall
 * divided by that tolerance (1 = exactly at the limit; 0 or less = as good or better).
 */
public final class Tolerance {

    /** Accuracy tolerance (fraction: 2 points). */
    public static final double ACCURACY = 0.02;
    /** Relative-error tolerance (10%). */
    public static final double RELATIVE = 0.10;

    private Tolerance() {
    }

    /**
     * @param regression true if lower is better (relative error), false for accuracy
     * @param metric     the result (NaN = crashed/diverged: infinitely short)
     * @param reference  the reference
     * @param points     the tolerance in its unit: a fraction of accuracy, or a relative error ratio
     * @return shortfall / tolerance
     */
    public static double normalizedShortfall(boolean regression, double metric, double reference, double points) {
        if (Double.isNaN(metric)) {
            return Double.POSITIVE_INFINITY;
        }
        return regression ? (metric / reference - 1) / points : (reference - metric) / points;
    }

    /**
     * @param regression lower is better
     * @param a          one metric (NaN = worst)
     * @param b          another
     * @return true if {@code a} is better than {@code b}
     */
    public static boolean better(boolean regression, double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return regression ? a < b : a > b;
    }

    /**
     * @param regression lower is better
     * @return the default tolerance of the metric
     */
    public static double of(boolean regression) {
        return regression ? RELATIVE : ACCURACY;
    }
}
