package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.report.Charts;
import io.github.adaloss.experiments.report.Html;
import io.github.adaloss.experiments.report.Series;
import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.section.ReportContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;

/** The over-parameterization section of the report: charts, CSV, HTML table, JSON summary. */
public final class OverparamReport {

    private OverparamReport() {
    }

    /**
     * Writes the section's report part: text, charts, table, {@code csv/overparam.csv} and its JSON entry.
     *
     * @param r the sweep
     * @param w the report
     * @throws IOException if a file cannot be written
     */
    public static void write(OverparamExperiment.Result r, ReportContext w) throws IOException {
        w.html(html(r));
        List<Series> loss = new ArrayList<>();
        List<Series> accuracy = new ArrayList<>();
        for (String dataset : datasets(r)) {
            for (String labels : List.of("natural", "random")) {
                Map<Double, double[]> m = means(r, dataset, labels);
                double[] x = m.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                loss.add(new Series(dataset + ", " + labels + " labels", x,
                        m.values().stream().mapToDouble(v -> v[0]).toArray()));
                accuracy.add(new Series(dataset + ", " + labels + " labels: test", x,
                        m.values().stream().mapToDouble(v -> v[2]).toArray()));
                accuracy.add(new Series(dataset + ", " + labels + " labels: train", x,
                        m.values().stream().mapToDouble(v -> v[1]).toArray()));
            }
        }
        XYChart lossChart = Charts.lines("Depth-3 MLP, full-batch GD: final training loss vs parameters per sample",
                "P / n", "L(T) / L(0)", true, true, loss);
        Charts.threshold(lossChart, "threshold " + Formats.number(r.config().threshold()), r.config().threshold());
        w.chart("overparam-loss", lossChart, "Final relative training loss vs P/n, natural and random labels");
        XYChart accChart = Charts.lines("Accuracy vs P / n: natural vs random labels", "P / n", "accuracy", true,
                false, accuracy);
        double chance = chance(r);
        if (!Double.isNaN(chance)) {
            Charts.threshold(accChart, "chance " + Formats.number(chance), chance);
        }
        w.chart("overparam-accuracy", accChart, "Train and test accuracy vs P/n");
        StringBuilder csv = new StringBuilder("dataset,labels,hidden,parameters,samples,ratio,seed,"
                + "relative_final_loss,train_accuracy,test_accuracy,converged_iteration\n");
        for (OverparamExperiment.Run x : r.runs()) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.6g,%d,%.6g,%.6g,%.6g,%s%n", x.dataset(),
                    x.labels(), x.hidden(), x.parameters(), x.samples(), x.ratio(), x.seed(), x.relativeFinalLoss(),
                    x.trainAccuracy(), x.testAccuracy(), x.converged() >= 0 ? Integer.toString(x.converged()) : ""));
        }
        w.csv("overparam.csv", csv.toString());
        w.html(table(r));
        w.json(json(r));
    }

    /**
     * @return the accuracy of guessing for the first run's data set: 1/10 for Fashion-MNIST, 1/3 for Iris (the only
     *         data sets of the sweep), NaN without runs
     */
    private static double chance(OverparamExperiment.Result r) {
        return r.runs().isEmpty() ? Double.NaN : r.runs().get(0).dataset().startsWith("Fashion") ? 0.1 : 1.0 / 3;
    }

    /** @return the random-label test accuracy against chance, in words from the numbers */
    private static String randomSentence(OverparamExperiment.Result r) {
        double random = OverparamClaims.meanTestAccuracy(r, "random");
        double natural = OverparamClaims.meanTestAccuracy(r, "natural");
        if (Double.isNaN(random)) {
            return "";
        }
        return " Mean test accuracy over P/n &gt;= 1: natural labels " + Formats.number(natural) + ", random labels "
                + Formats.number(random) + " (chance " + Formats.number(chance(r)) + ").";
    }

    /** @return the section's introduction */
    static String html(OverparamExperiment.Result r) {
        OverparamExperiment.Config c = r.config();
        StringBuilder h = new StringBuilder();
        h.append("<p>")
                .append("Kawaguchi and Huang (arXiv 1908.02419): gradient descent reaches a global minimum of a deep ")
                .append("nonlinear network once its number of parameters P grows linearly with the number of ")
                .append("samples n, and such a network still generalizes on natural labels, not on random ones. ")
                .append("Here: MLPs with two hidden ReLU layers of width h (depth 3, P = (d+1)h + (h+1)h + (h+1)k), ")
                .append("widths chosen so that P/n covers ").append(Html.escape(java.util.Arrays.toString(
                        c.ratios()))).append(c.quadratic() ? " plus a quadratic reference P &gt;= n^2" : "")
                .append("; MSE on one-hot labels, full-batch gradient descent with ")
                .append(Double.isNaN(c.learningRate())
                        ? "a step of " + Formats.number(c.edgeFraction()) + " times each run's own stability edge "
                        + "2/lambda_max (lambda_max of the Gauss-Newton matrix at initialization; steps per run in the "
                        + "table: " + stepRange(r) + ")"
                        : "step " + Formats.number(c.learningRate()))
                .append(", ").append(c.iterations()).append(" iterations, ")
                .append(c.seeds()).append(c.seeds() == 1 ? " seed" : " seeds").append("; random labels replace every ")
                .append("training label by a uniformly drawn class (test labels stay true). Read the loss chart from ")
                .append("left to right: where a curve crosses the dashed threshold is the size gradient descent ")
                .append("needs for those labels. The accuracy chart compares test accuracy with chance.")
                .append(randomSentence(r)).append("</p>\n");
        return h.toString();
    }

    private static String stepRange(OverparamExperiment.Result r) {
        double lo = r.runs().stream().mapToDouble(OverparamExperiment.Run::step).min().orElse(Double.NaN);
        double hi = r.runs().stream().mapToDouble(OverparamExperiment.Run::step).max().orElse(Double.NaN);
        return Formats.number(lo) + " to " + Formats.number(hi);
    }

    /** @return the table of every run */
    static String table(OverparamExperiment.Result r) {
        OverparamExperiment.Config c = r.config();
        StringBuilder h = new StringBuilder();
        h.append("<table><tr><th>data</th><th>labels</th><th>h</th><th>P</th><th>P/n</th><th>L(T)/L(0)</th>")
                .append("<th>iterations to ").append(Formats.number(c.threshold())).append("</th><th>train acc</th><th>test acc</th></tr>\n");
        for (OverparamExperiment.Run x : r.runs()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%.2f</td>"
                    + "<td>%s</td><td>%s</td><td>%.3f</td><td>%.3f</td></tr>%n", x.dataset(), x.labels(), x.hidden(),
                    x.parameters(), x.ratio(), Formats.number(x.relativeFinalLoss()), x.converged() >= 0
                            ? Integer.toString(x.converged()) : "not reached", x.trainAccuracy(), x.testAccuracy()));
        }
        return h.append("</table>\n").toString();
    }

    /** @return the section of summary.json */
    public static Map<String, Object> json(OverparamExperiment.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        OverparamExperiment.Config c = r.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ratios", java.util.Arrays.stream(c.ratios()).boxed().toList());
        config.put("quadratic", c.quadratic());
        config.put("iterations", c.iterations());
        config.put("learningRate", Double.isNaN(c.learningRate()) ? "edge fraction " + c.edgeFraction()
                : c.learningRate());
        config.put("seeds", c.seeds());
        config.put("threshold", c.threshold());
        config.put("seed", c.seed());
        m.put("config", config);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (OverparamExperiment.Run x : r.runs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dataset", x.dataset());
            e.put("labels", x.labels());
            e.put("hidden", x.hidden());
            e.put("parameters", x.parameters());
            e.put("samples", x.samples());
            e.put("seed", x.seed());
            e.put("relativeFinalLoss", x.relativeFinalLoss());
            e.put("convergedIteration", x.converged());
            e.put("trainAccuracy", x.trainAccuracy());
            e.put("testAccuracy", x.testAccuracy());
            runs.add(e);
        }
        m.put("runs", runs);
        return m;
    }

    private static List<String> datasets(OverparamExperiment.Result r) {
        return r.runs().stream().map(OverparamExperiment.Run::dataset).distinct().toList();
    }

    /** @return per P/n (ascending): mean relative final loss, mean train accuracy, mean test accuracy */
    private static Map<Double, double[]> means(OverparamExperiment.Result r, String dataset, String labels) {
        Map<Double, double[]> sums = new TreeMap<>();
        for (OverparamExperiment.Run x : r.runs()) {
            if (x.dataset().equals(dataset) && x.labels().equals(labels)) {
                double[] s = sums.computeIfAbsent(x.ratio(), k -> new double[4]);
                s[0] += x.relativeFinalLoss();
                s[1] += x.trainAccuracy();
                s[2] += x.testAccuracy();
                s[3]++;
            }
        }
        Map<Double, double[]> means = new TreeMap<>();
        sums.forEach((k, s) -> means.put(k, new double[] {s[0] / s[3], s[1] / s[3], s[2] / s[3]}));
        return means;
    }
}
