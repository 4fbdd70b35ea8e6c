package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.report.Charts;
import io.github.adaloss.experiments.report.Html;
import io.github.adaloss.experiments.report.Series;
import io.github.adaloss.experiments.section.ReportContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;

/** The over-parameterization section of the report: text, charts, table, CSV, JSON summary. */
public final class OverparamReport {

    private OverparamReport() {
    }

    /**
     * Writes the section's report part: text, charts (iterations to the threshold against P/n; P needed against n),
     * the table per width, {@code csv/overparam.csv} and its JSON entry.
     *
     * @param r the sweep
     * @param w the report
     * @throws IOException if a file cannot be written
     */
    public static void write(OverparamExperiment.Result r, ReportContext w) throws IOException {
        w.html(html(r));
        List<Series> times = new ArrayList<>();
        for (String part : List.of(OverparamExperiment.RATIO, OverparamExperiment.SCALING)) {
            for (String labels : List.of(OverparamExperiment.NATURAL, OverparamExperiment.RANDOM)) {
                for (Map.Entry<String, TreeMap<Double, Double>> e : medians(r, part, labels).entrySet()) {
                    if (!e.getValue().isEmpty()) {
                        times.add(new Series(e.getKey() + ", " + labels, e.getValue().keySet().stream()
                                .mapToDouble(Double::doubleValue).toArray(), e.getValue().values().stream()
                                .mapToDouble(Double::doubleValue).toArray()));
                    }
                }
            }
        }
        if (!times.isEmpty()) {
            w.chart("overparam-iterations", Charts.lines("Iterations to " + r.config().threshold()
                    + " of the start loss (median over seeds)",
                    "P / n", "iterations to threshold", true, true, times),
                    "Iterations to the loss threshold vs P/n, natural and random labels (a width where a seed "
                    + "misses the cap has no point)");
        }
        TreeMap<Integer, Double> needed = OverparamClaims.needed(r);
        double[] ns = needed.entrySet().stream().filter(e -> !Double.isNaN(e.getValue()))
                .mapToDouble(Map.Entry::getKey).toArray();
        if (ns.length >= 2) {
            double[] ps = needed.values().stream().filter(p -> !Double.isNaN(p)).mapToDouble(Double::doubleValue)
                    .toArray();
            int k = r.runs().stream().filter(x -> x.part().equals(OverparamExperiment.SCALING))
                    .mapToInt(OverparamExperiment.Run::outputs).findFirst().orElse(1);
            double[] nk = Arrays.stream(ns).map(n -> n * k).toArray();
            w.chart("overparam-scaling", Charts.lines("Random labels: parameters needed to fit vs n (slope "
                    + String.format(Locale.ROOT, "%.2f", OverparamClaims.slope(needed)) + ")", "n", "P*",
                    true, true, List.of(new Series("P* (every seed fitted from this grid P on)", ns, ps),
                            new Series("n k (equations of an exact fit)", ns, nk))),
                    "Smallest grid P at which every random-label seed reaches the threshold, against n (log-log)");
        }
        w.html(table(r));
        StringBuilder csv = new StringBuilder("dataset,part,labels,draw,hidden,parameters,samples,outputs,ratio,"
                + "seed,cap,iterations_to_threshold,final_relative_loss,train_accuracy,test_accuracy,lambda_max,step\n");
        for (OverparamExperiment.Run x : r.runs()) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%d,%d,%.6g,%d,%d,%s,%.6g,%.6g,%.6g,%.6g,%.6g%n",
                    x.dataset(), x.part(), x.labels(), x.draw(), x.hidden(), x.parameters(), x.samples(),
                    x.outputs(), x.ratio(), x.seed(), x.cap(), x.reached() ? Integer.toString(x.iterations()) : "",
                    x.finalRelative(), x.trainAccuracy(), x.testAccuracy(), x.lambdaMax(), x.step()));
        }
        w.csv("overparam.csv", csv.toString());
        w.json(json(r));
    }

    /** @return per data set (and n for the scaling part): P/n to the median iterations of the fully fitted widths */
    private static Map<String, TreeMap<Double, Double>> medians(OverparamExperiment.Result r, String part,
                                                                String labels) {
        Map<String, TreeMap<Double, Double>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<OverparamExperiment.Run>> e : OverparamClaims.groups(r, part, labels)
                .entrySet()) {
            OverparamExperiment.Run first = e.getValue().get(0);
            String key = part.equals(OverparamExperiment.RATIO) ? first.dataset()
                    : first.dataset() + " n=" + first.samples();
            TreeMap<Double, Double> m = out.computeIfAbsent(key, x -> new TreeMap<>());
            double median = OverparamExperiment.medianIterations(e.getValue());
            if (!Double.isNaN(median) && median > 0) {
                m.put(first.ratio(), median);
            }
        }
        return out;
    }

    /** @return the section's introduction, its numbers from the run */
    static String html(OverparamExperiment.Result r) {
        OverparamExperiment.Config c = r.config();
        double lo = r.runs().stream().mapToDouble(OverparamExperiment.Run::step).min().orElse(Double.NaN);
        double hi = r.runs().stream().mapToDouble(OverparamExperiment.Run::step).max().orElse(Double.NaN);
        return "<p>Kawaguchi and Huang (arXiv 1908.02419): gradient descent reaches a global minimum of a deep "
                + "nonlinear network once its number of parameters P grows linearly with the number of samples n, "
                + "for natural and for random labels; only the natural ones generalize. Here: MLPs with two hidden "
                + "ReLU layers of width h (depth 3, P = (d+1)h + (h+1)h + (h+1)k, k outputs, so an exact fit has "
                + "n k equations), MSE on one-hot labels, full-batch gradient descent (plain Java, double precision) "
                + "with " + c.edgeFraction() + " times each run's own stability edge 2/lambda_max (Gauss-Newton "
                + "matrix at initialization; steps " + String.format(Locale.ROOT, "%.3g to %.3g", lo, hi) + "). "
                + "Every run goes until its loss is at most " + c.threshold() + " of its start or a cap: "
                + c.cap() + " iterations for natural labels; for random labels " + c.capFactor() + "x the median "
                + "natural time at the same width, at most " + c.cap() + ". <b>Ratio part:</b> de-duplicated Iris "
                + "(n = 98, k = 3), P/n over " + Html.escape(Arrays.toString(c.ratios())) + " (the largest has "
                + "h &gt;= n), " + c.seeds() + " initialization seeds for natural labels and " + c.draws()
                + " random-label draws " + (c.crossDraws() ? "crossed with every seed" : "each paired with one seed")
                + ". <b>Scaling part:</b> nested subsets of the first n distinct 4x4-pooled Fashion-MNIST images "
                + "(k = 10), n = " + Html.escape(Arrays.toString(c.sizes())) + ", random labels at P/(nk) over "
                + Html.escape(Arrays.toString(Arrays.stream(c.multiples()).map(m -> Math.round(m * 100) / 100.0)
                .toArray())) + ", cap " + c.scalingCap() + " (fixed: if larger n needed more iterations, P* would "
                + "be over-estimated there and the slope would rise, so the cap can only make the linear claim "
                + "fail), natural labels at the largest P as the reference time.</p>\n";
    }

    /** @return one row per (part, data set, n, labels, width): fitted count, iterations, losses, accuracies */
    static String table(OverparamExperiment.Result r) {
        StringBuilder h = new StringBuilder("<table><tr><th>part</th><th>data</th><th>n</th><th>labels</th>"
                + "<th>h</th><th>P</th><th>P/n</th><th>P/(nk)</th><th>cap</th><th>fitted</th>"
                + "<th>iterations to threshold (median [min-max])</th><th>L/L0 of the others</th>"
                + "<th>train acc</th><th>test acc</th></tr>\n");
        for (String part : List.of(OverparamExperiment.RATIO, OverparamExperiment.SCALING)) {
            for (String labels : List.of(OverparamExperiment.NATURAL, OverparamExperiment.RANDOM)) {
                for (List<OverparamExperiment.Run> g : OverparamClaims.groups(r, part, labels).values()) {
                    OverparamExperiment.Run x = g.get(0);
                    int[] t = g.stream().filter(OverparamExperiment.Run::reached)
                            .mapToInt(OverparamExperiment.Run::iterations).sorted().toArray();
                    String others = g.stream().filter(y -> !y.reached())
                            .map(y -> String.format(Locale.ROOT, "%.2e", y.finalRelative()))
                            .reduce((a, b) -> a + " " + b).orElse("");
                    h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%d</td>"
                            + "<td>%d</td><td>%.2f</td><td>%.2f</td><td>%d</td><td>%d/%d</td><td>%s</td><td>%s</td>"
                            + "<td>%.3f</td><td>%.3f</td></tr>%n", part, Html.escape(x.dataset()), x.samples(), labels,
                            x.hidden(), x.parameters(), x.ratio(), x.perEquation(),
                            g.stream().mapToInt(OverparamExperiment.Run::cap).max().orElse(0), t.length, g.size(),
                            t.length == 0 ? "" : t[t.length / 2] + " [" + t[0] + "-" + t[t.length - 1] + "]", others,
                            g.stream().mapToDouble(OverparamExperiment.Run::trainAccuracy).average().orElse(0),
                            g.stream().mapToDouble(OverparamExperiment.Run::testAccuracy).average().orElse(0)));
                }
            }
        }
        return h.append("</table>\n").toString();
    }

    /** @return the section of summary.json */
    public static Map<String, Object> json(OverparamExperiment.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        OverparamExperiment.Config c = r.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ratios", Arrays.stream(c.ratios()).boxed().toList());
        config.put("seeds", c.seeds());
        config.put("draws", c.draws());
        config.put("crossDraws", c.crossDraws());
        config.put("threshold", c.threshold());
        config.put("cap", c.cap());
        config.put("capFactor", c.capFactor());
        config.put("edgeFraction", c.edgeFraction());
        config.put("sizes", Arrays.stream(c.sizes()).boxed().toList());
        config.put("multiples", Arrays.stream(c.multiples()).boxed().toList());
        config.put("scalingCap", c.scalingCap());
        config.put("seed", c.seed());
        m.put("config", config);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (OverparamExperiment.Run x : r.runs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dataset", x.dataset());
            e.put("part", x.part());
            e.put("labels", x.labels());
            e.put("draw", x.draw());
            e.put("hidden", x.hidden());
            e.put("parameters", x.parameters());
            e.put("samples", x.samples());
            e.put("outputs", x.outputs());
            e.put("seed", x.seed());
            e.put("cap", x.cap());
            e.put("iterationsToThreshold", x.iterations());
            e.put("relativeFinalLoss", x.finalRelative());
            e.put("trainAccuracy", x.trainAccuracy());
            e.put("testAccuracy", x.testAccuracy());
            runs.add(e);
        }
        m.put("runs", runs);
        double slope = OverparamClaims.slope(OverparamClaims.needed(r));
        if (Double.isFinite(slope)) {
            m.put("scalingSlope", slope);
        }
        return m;
    }
}
