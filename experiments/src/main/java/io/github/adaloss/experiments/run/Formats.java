package io.github.adaloss.experiments.run;

import java.util.Locale;

/** Number formatting shared by the console table, CSV and report. */
public final class Formats {

    private Formats() {
    }

    /** @return a compact representation: 0.001, 1e+03, 12.5 */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v != 0 && (Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
