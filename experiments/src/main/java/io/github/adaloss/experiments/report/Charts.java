package io.github.adaloss.experiments.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of the report, drawn with XChart (headless, PNG). On logarithmic axes a curve stops at its first
 * non-positive or non-finite value (for a diverged run: where it left the chart).
 */
public final class Charts {

    /** Width of every chart in pixels. */
    public static final int WIDTH = 900;
    /** Height of every chart in pixels. */
    public static final int HEIGHT = 520;

    private Charts() {
    }

    /**
     * @param title  chart title
     * @param xTitle x-axis title
     * @param yTitle y-axis title
     * @param logY   logarithmic y axis
     * @param series the lines
     * @return the chart
     */
    public static XYChart lines(String title, String xTitle, String yTitle, boolean logY, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern(logY ? "0.#E0" : "#.###");
        for (Series line : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < line.y().length; i++) {
                double y = line.y()[i];
                if (!Double.isFinite(y) || (logY && y <= 0)) {
                    break;
                }
                xs.add(line.x()[i]);
                ys.add(y);
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries added = chart.addSeries(line.name(), xs, ys);
            added.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /**
     * @param title      chart title
     * @param yTitle     y-axis title
     * @param categories category labels (x axis)
     * @param names      series names
     * @param values     values[series][category]
     * @param errors     error bars (same shape), or null
     * @return a grouped bar chart
     */
    public static CategoryChart bars(String title, String yTitle, List<String> categories, List<String> names,
                                     double[][] values, double[][] errors) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("hyperparameter").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        for (int i = 0; i < names.size(); i++) {
            List<Double> v = new ArrayList<>();
            List<Double> e = new ArrayList<>();
            for (int c = 0; c < categories.size(); c++) {
                v.add(values[i][c]);
                e.add(errors == null ? 0.0 : errors[i][c]);
            }
            chart.addSeries(names.get(i), categories, v, e);
        }
        return chart;
    }

    /** @return the chart as PNG bytes */
    public static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
