package io.github.adaloss.bench.ntk;

import java.util.Arrays;
import java.util.Locale;

/** Summaries of per-round timings of the interleaved NTK measurements: median with min and max, round-wise ratios. */
final class RoundStats {

    private RoundStats() {
    }

    /**
     * @param v values (not modified)
     * @return their median (mean of the two middle values for an even count)
     */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /**
     * @param v milliseconds per round
     * @return {@code "median [min, max]"}, rounded to whole milliseconds
     */
    static String stats(double[] v) {
        return summary("%.0f [%.0f, %.0f]", v);
    }

    /**
     * @param format a format with three {@code double} fields: median, min, max
     * @param v      values
     * @return {@code v}'s median, min and max in {@code format} (Locale.ROOT)
     */
    static String summary(String format, double[] v) {
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
    static double[] quotients(double[] num, double[] den, double numScale, double denScale) {
        double[] q = new double[num.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = numScale * num[i] / (denScale * den[i]);
        }
        return q;
    }
}
