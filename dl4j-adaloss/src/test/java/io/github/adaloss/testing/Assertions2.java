package io.github.adaloss.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Relative-tolerance assertions on doubles and arrays. */
public final class Assertions2 {

    private Assertions2() {
    }

    /** |actual - expected| <= rel * max(|expected|, floor). */
    public static void assertRelClose(double expected, double actual, double rel, String what) {
        double tol = rel * Math.max(Math.abs(expected), 1e-12);
        if (!(Math.abs(actual - expected) <= tol)) {
            assertEquals(expected, actual, tol, what);
        }
    }

    /** Element-wise relative closeness, with the scale of the whole array as floor for near-zero entries. */
    public static void assertRelClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double tol = rel * Math.max(Math.abs(expected[i]), scale * 1e-3);
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
            }
        }
    }
}
