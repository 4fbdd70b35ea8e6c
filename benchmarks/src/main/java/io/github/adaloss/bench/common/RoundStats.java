package io.github.adaloss.bench.common;

import java.util.Arrays;
import java.util.Locale;

/**
 * Summaries of per-round timings of the interleaved measurements (updaters and NTK): median with min and max,
 * round-wise ratios, and a distribution-free confidence interval of a median.
 */
public final class RoundStats {

    private RoundStats() {
    }

    /**
     * @param v values (not modified)
     * @return their median (mean of the two middle values for an even count)
     */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /**
     * @param v milliseconds per round
     * @return {@code "median [min, max]"}, rounded to whole milliseconds
     */
    public static String stats(double[] v) {
        return summary("%.0f [%.0f, %.0f]", v);
    }

    /**
     * @param format a format with three {@code double} fields: median, min, max
     * @param v      values
     * @return {@code v}'s median, min and max in {@code format} (Locale.ROOT)
     */
    public static String summary(String format, double[] v) {
        return String.format(Locale.ROOT, format, median(v), Arrays.stream(v).min().orElse(0),
                Arrays.stream(v).max().orElse(0));
    }

    /**
     * @param num      numerators, one per round
     * @param den      denominators, same rounds
     * @param numScale factor of every numerator
     * @param denScale factor of every denominator
     * @return {@code numScale * num[i] / (denScale * den[i])} per round
     */
    public static double[] quotients(double[] num, double[] den, double numScale, double denScale) {
        double[] q = new double[num.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = numScale * num[i] / (denScale * den[i]);
        }
        return q;
    }

    /** @return the smallest value (NaN for none) */
    public static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    /** @return the largest value (NaN for none) */
    public static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /**
     * Distribution-free 95% confidence interval of a median from order statistics (sign test): the k-th smallest
     * and k-th largest values, k the largest with {@code P(Binomial(n, 1/2) < k) <= 0.025}; NaN below 6 values.
     *
     * @param v values (not modified)
     * @return {lower, upper}
     */
    public static double[] medianInterval(double[] v) {
        int n = v.length;
        double[] s = v.clone();
        Arrays.sort(s);
        double cumulative = 0;
        int k = 0;
        double p = Math.pow(0.5, n);
        for (int j = 0; j < n; j++) {
            double pj = p * binomial(n, j);
            if (cumulative + pj > 0.025) {
                break;
            }
            cumulative += pj;
            k = j + 1;
        }
        return k == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {s[k - 1], s[n - k]};
    }

    private static double binomial(int n, int j) {
        double c = 1;
        for (int i = 1; i <= j; i++) {
            c = c * (n - j + i) / i;
        }
        return c;
    }
}
