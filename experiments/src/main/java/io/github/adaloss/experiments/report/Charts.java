package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.run.Formats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of the report, drawn with XChart: distinct colours per series (one colour per optimizer across charts),
 * markers on short series, decade ticks on logarithmic axes, rounded numbers, threshold lines, PNG at twice the
 * nominal size. On logarithmic axes a curve stops at its first non-positive or non-finite value (for a diverged run:
 * where it left the chart).
 */
public final class Charts {

    /** Nominal width of every chart in CSS pixels (the PNG has twice as many). */
    public static final int WIDTH = 900;
    /** Nominal height of every chart in CSS pixels. */
    public static final int HEIGHT = 520;
    /** Series with at most this many points get markers. */
    public static final int MARKER_POINTS = 40;
    /** Pixel scale of the PNG. */
    public static final int SCALE = 2;

    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    private Charts() {
    }

    /**
     * @param title  chart title
     * @param xTitle x-axis title
     * @param yTitle y-axis title
     * @param logY   logarithmic y axis
     * @param series the lines
     * @return the chart (linear x axis)
     */
    public static XYChart lines(String title, String xTitle, String yTitle, boolean logY, List<Series> series) {
        return lines(title, xTitle, yTitle, false, logY, series);
    }

    /**
     * @param title  chart title
     * @param xTitle x-axis title
     * @param yTitle y-axis title
     * @param logX   logarithmic x axis
     * @param logY   logarithmic y axis
     * @param series the lines
     * @return the chart
     */
    public static XYChart lines(String title, String xTitle, String yTitle, boolean logX, boolean logY,
                                List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setMarkerSize(6);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        int index = 0;
        for (Series line : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < line.y().length; i++) {
                double y = line.y()[i];
                if (!Double.isFinite(y) || (logY && y <= 0)) {
                    break;
                }
                if (logX && line.x()[i] <= 0) {
                    continue;
                }
                xs.add(line.x()[i]);
                ys.add(y);
                xMin = Math.min(xMin, line.x()[i]);
                xMax = Math.max(xMax, line.x()[i]);
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries added = chart.addSeries(line.name(), xs, ys);
            Color c = line.group() == null ? Palette.distinct(index) : Palette.forOptimizer(line.group());
            int variant = line.group() == null ? index / 14 : line.variant();
            added.setLineColor(c);
            added.setLineStyle(Palette.stroke(variant));
            if (xs.size() <= MARKER_POINTS) {
                added.setMarker(MARKERS[Math.floorMod(variant, MARKERS.length)]);
                added.setMarkerColor(c);
            } else {
                added.setMarker(SeriesMarkers.NONE);
            }
            index++;
        }
        // XChart's custom formatters compute linear ticks: on a logarithmic axis use its own decade ticks instead
        if (logY) {
            chart.getStyler().setYAxisLogarithmicDecadeOnly(true);
            chart.getStyler().setYAxisDecimalPattern("0E0");
        } else {
            chart.setCustomYAxisTickLabelsFormatter(Formats::number);
        }
        if (logX) {
            chart.getStyler().setXAxisLogarithmicDecadeOnly(true);
            chart.getStyler().setXAxisDecimalPattern("0E0");
        } else {
            chart.setCustomXAxisTickLabelsFormatter(Formats::number);
            chart.getStyler().setXAxisTickMarkSpacingHint(120);
            if (Double.isFinite(xMax) && xMax > 0 && xMin >= 0) {
                chart.getStyler().setXAxisMin(0.0);
                chart.getStyler().setXAxisMax(niceCeiling(xMax));
            }
        }
        return chart;
    }

    /**
     * Adds a dashed grey horizontal line across the chart's x range, with a legend entry.
     *
     * @param chart the chart
     * @param name  legend entry, e.g. "target 1e-4"
     * @param y     its height
     */
    public static void threshold(XYChart chart, String name, double y) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double x : s.getXData()) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (!Double.isFinite(lo)) {
            return;
        }
        if (chart.getStyler().getXAxisMax() != null) {
            hi = chart.getStyler().getXAxisMax();
        }
        XYSeries s = chart.addSeries(name, new double[] {lo, hi}, new double[] {y, y});
        s.setLineColor(new Color(120, 120, 120));
        s.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {3f, 3f},
                0f));
        s.setMarker(SeriesMarkers.NONE);
    }

    /**
     * @param title      chart title
     * @param xTitle     x-axis title
     * @param yTitle     y-axis title
     * @param categories category labels (x axis)
     * @param names      series names (optimizers: coloured as such)
     * @param values     values[series][category]
     * @param errors     error bars (same shape), or null
     * @return a grouped bar chart with y from 0 to 1
     */
    public static CategoryChart bars(String title, String xTitle, String yTitle, List<String> categories,
                                     List<String> names, double[][] values, double[][] errors) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 30 : 0);
        chart.getStyler().setOverlapped(false);
        for (int i = 0; i < names.size(); i++) {
            List<Double> v = new ArrayList<>();
            List<Double> e = new ArrayList<>();
            for (int c = 0; c < categories.size(); c++) {
                v.add(values[i][c]);
                e.add(errors == null ? 0.0 : errors[i][c]);
            }
            CategorySeries s = errors == null ? chart.addSeries(names.get(i), categories, v)
                    : chart.addSeries(names.get(i), categories, v, e);
            s.setFillColor(Palette.forOptimizer(names.get(i)));
        }
        return chart;
    }

    /**
     * Adds a horizontal line (e.g. chance accuracy) to a bar chart as a line series.
     *
     * @param chart      the chart
     * @param name       legend entry
     * @param y          its height
     * @param categories the chart's categories
     */
    public static void threshold(CategoryChart chart, String name, double y, List<String> categories) {
        List<Double> ys = new ArrayList<>();
        categories.forEach(c -> ys.add(y));
        CategorySeries s = chart.addSeries(name, categories, ys);
        s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        s.setLineColor(new Color(120, 120, 120));
        s.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {3f, 3f},
                0f));
        s.setMarker(SeriesMarkers.NONE);
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        if (s instanceof org.knowm.xchart.style.AxesChartStyler a) {
            a.setPlotGridLinesColor(new Color(228, 228, 228));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        }
    }

    /** @return the smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 times a power of ten that is at least {@code v} */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** @return the chart as a PNG of {@link #SCALE} times its nominal size */
    public static byte[] png(Chart<?, ?> chart) {
        BufferedImage img = new BufferedImage(chart.getWidth() * SCALE, chart.getHeight() * SCALE,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.scale(SCALE, SCALE);
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
