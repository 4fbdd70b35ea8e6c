package io.github.adaloss.experiments.report;

/**
 * One line of a chart.
 *
 * @param name    legend entry
 * @param x       abscissae
 * @param y       ordinates (same length)
 * @param group   colour key: an optimizer name gets its colour of {@link Palette#forOptimizer} in every chart; null
 *                for the next distinct colour of the chart
 * @param variant distinguishes lines of one group (e.g. widths): dash pattern and marker shape
 */
public record Series(String name, double[] x, double[] y, String group, int variant) {

    /** A series coloured by position. */
    public Series(String name, double[] x, double[] y) {
        this(name, x, y, null, 0);
    }

    /** @return a series with x = 0, 1, 2, ... */
    public static Series indexed(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Series(name, x, y);
    }

    /** @return this series coloured as {@code group}, variant {@code variant} */
    public Series in(String newGroup, int newVariant) {
        return new Series(name, x, y, newGroup, newVariant);
    }
}
