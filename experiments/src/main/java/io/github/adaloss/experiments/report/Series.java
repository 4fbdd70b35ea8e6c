package io.github.adaloss.experiments.report;

/**
 * One line of a chart.
 *
 * @param name legend entry
 * @param x    abscissae
 * @param y    ordinates (same length)
 */
public record Series(String name, double[] x, double[] y) {

    /** @return a series with x = 0, 1, 2, ... */
    public static Series indexed(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Series(name, x, y);
    }
}
