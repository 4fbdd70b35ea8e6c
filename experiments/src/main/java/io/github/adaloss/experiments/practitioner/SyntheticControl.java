package io.github.adaloss.experiments.practitioner;

import java.util.Random;

/**
 * The synthetic control chart time series of Alcock and Manolopoulos (1999), the data set of the UCI repository that
 * DL4J's {@code UCISequenceClassification} example downloads, generated here from its published equations instead
 * (nothing is downloaded). Each series has {@link #LENGTH} steps {@code y(t)}, {@code t = 1..60}, with
 * {@code m = 30}, {@code s = 2}, {@code r ~ U(-3, 3)}:
 * <pre>
 *   0 normal:            y = m + r s
 *   1 cyclic:            y = m + r s + a sin(2 pi t / T),  a ~ U(10, 15), T ~ U(10, 15)
 *   2 increasing trend:  y = m + r s + g t,                 g ~ U(0.2, 0.5)
 *   3 decreasing trend:  y = m + r s - g t
 *   4 upward shift:      y = m + r s + k x,                 x ~ U(7.5, 20), k = 1 for t >= t3, t3 ~ U(20, 40)
 *   5 downward shift:    y = m + r s - k x
 * </pre>
 * ({@code r} is drawn afresh at every step.) The UCI file holds 100 series per class; so does {@link #generate}.
 */
public final class SyntheticControl {

    /** Steps per series. */
    public static final int LENGTH = 60;
    /** Number of classes. */
    public static final int CLASSES = 6;

    private SyntheticControl() {
    }

    /**
     * @param cls class 0..5
     * @param rnd random source
     * @return one series of {@link #LENGTH} values
     */
    public static double[] series(int cls, Random rnd) {
        if (cls < 0 || cls >= CLASSES) {
            throw new IllegalArgumentException("cls must be in 0..5, got " + cls);
        }
        double m = 30;
        double s = 2;
        double a = uniform(rnd, 10, 15);
        double period = uniform(rnd, 10, 15);
        double g = uniform(rnd, 0.2, 0.5);
        double x = uniform(rnd, 7.5, 20);
        double t3 = uniform(rnd, 20, 40);
        double[] y = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int t = i + 1;
            double v = m + uniform(rnd, -3, 3) * s;
            switch (cls) {
                case 1 -> v += a * Math.sin(2 * Math.PI * t / period);
                case 2 -> v += g * t;
                case 3 -> v -= g * t;
                case 4 -> v += t >= t3 ? x : 0;
                case 5 -> v -= t >= t3 ? x : 0;
                default -> {
                }
            }
            y[i] = v;
        }
        return y;
    }

    /**
     * @param perClass series per class
     * @param seed     random seed
     * @return {@code perClass * 6} series, class-major (the first {@code perClass} are class 0, ...), as in the UCI
     *         file; labels are {@code index / perClass}
     */
    public static double[][] generate(int perClass, long seed) {
        Random rnd = new Random(seed);
        double[][] out = new double[perClass * CLASSES][];
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < perClass; i++) {
                out[c * perClass + i] = series(c, rnd);
            }
        }
        return out;
    }

    private static double uniform(Random rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }
}
