package io.github.adaloss.experiments.run;

import java.math.BigDecimal;
import java.math.MathContext;

/** Number formatting for reading (console, legends, report); CSV and JSON keep full precision. */
public final class Formats {

    private Formats() {
    }

    /**
     * @param v a number
     * @return it rounded for reading: three significant digits (four from 1000 on), plain between 0.01 and 10000,
     *         otherwise {@code 1.5e-3} style; powers of ten as {@code 1e-3}; NaN as "-"
     */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        BigDecimal b = new BigDecimal(v).round(new MathContext(a >= 1000 && a < 1e4 ? 4 : 3));
        double r = b.doubleValue();
        if (Math.abs(r) >= 1e-2 && Math.abs(r) < 1e4) {
            return b.stripTrailingZeros().toPlainString();
        }
        int exp = (int) Math.floor(Math.log10(Math.abs(r)));
        BigDecimal mant = new BigDecimal(r / Math.pow(10, exp)).round(new MathContext(2));
        if (mant.abs().compareTo(BigDecimal.TEN) >= 0) {
            mant = mant.divide(BigDecimal.TEN);
            exp++;
        }
        return mant.stripTrailingZeros().toPlainString() + "e" + exp;
    }
}
