package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.report.Charts;
import io.github.adaloss.experiments.report.ReportWriter;
import io.github.adaloss.experiments.report.Series;
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
     * Adds the charts and writes {@code csv/overparam.csv}.
     *
     * @param r the sweep
     * @param w the report
     * @throws IOException if the CSV cannot be written
     */
    public static void write(OverparamExperiment.Result r, ReportWriter w) throws IOException {
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
                "P / n", "L(T) / L(0)", true, loss);
        lossChart.getStyler().setXAxisLogarithmic(true);
        w.add("overparam-loss", lossChart);
        XYChart accChart = Charts.lines("Accuracy vs P / n: natural vs random labels", "P / n", "accuracy", false,
                accuracy);
        accChart.getStyler().setXAxisLogarithmic(true);
        w.add("overparam-accuracy", accChart);
        StringBuilder csv = new StringBuilder("dataset,labels,hidden,parameters,samples,ratio,seed,"
                + "relative_final_loss,train_accuracy,test_accuracy,converged_iteration\n");
        for (OverparamExperiment.Run x : r.runs()) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.6g,%d,%.6g,%.6g,%.6g,%s%n", x.dataset(),
                    x.labels(), x.hidden(), x.parameters(), x.samples(), x.ratio(), x.seed(), x.relativeFinalLoss(),
                    x.trainAccuracy(), x.testAccuracy(), x.converged() >= 0 ? Integer.toString(x.converged()) : ""));
        }
        w.csv("overparam.csv", csv.toString());
    }

    /** @return the HTML section (charts must have been added by {@link #write}) */
    public static String html(OverparamExperiment.Result r, ReportWriter w) {
        OverparamExperiment.Config c = r.config();
        StringBuilder h = new StringBuilder();
        h.append("<h2>5. Over-parameterization: how many parameters does gradient descent need?</h2>\n<p>")
                .append("Kawaguchi and Huang (arXiv 1908.02419): gradient descent reaches a global minimum of a deep ")
                .append("nonlinear network once its number of parameters P grows linearly with the number of ")
                .append("samples n, and such a network still generalizes on natural labels, not on random ones. ")
                .append("Here: MLPs with two hidden ReLU layers of width h (depth 3, P = (d+1)h + (h+1)h + (h+1)k), ")
                .append("widths chosen so that P/n covers ").append(ReportWriter.escape(java.util.Arrays.toString(
                        c.ratios()))).append(c.quadratic() ? " plus a quadratic reference P &gt;= n^2" : "")
                .append("; MSE on one-hot labels, full-batch gradient descent with step ")
                .append(c.learningRate()).append(", ").append(c.iterations()).append(" iterations, ")
                .append(c.seeds()).append(c.seeds() == 1 ? " seed" : " seeds").append("; random labels replace every ")
                .append("training label by a uniformly drawn class (test labels stay true). Read the loss chart from ")
                .append("left to right: where the natural-label curve drops is the width gradient descent needs; ")
                .append("the random-label curve drops later and slower, since memorizing noise needs more capacity ")
                .append("and more iterations (Iris also holds a duplicated input, so random labels cannot be fitted ")
                .append("exactly). The accuracy chart shows what over-parameterization does not buy: test accuracy ")
                .append("on random labels stays at chance.</p>\n");
        h.append(w.img("overparam-loss", "Final relative training loss vs P/n, natural and random labels"));
        h.append(w.img("overparam-accuracy", "Train and test accuracy vs P/n"));
        h.append("<table><tr><th>data</th><th>labels</th><th>h</th><th>P</th><th>P/n</th><th>L(T)/L(0)</th>")
                .append("<th>iterations to ").append(c.threshold()).append("</th><th>train acc</th><th>test acc</th></tr>\n");
        for (OverparamExperiment.Run x : r.runs()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%.2f</td>"
                    + "<td>%.2e</td><td>%s</td><td>%.3f</td><td>%.3f</td></tr>%n", x.dataset(), x.labels(), x.hidden(),
                    x.parameters(), x.ratio(), x.relativeFinalLoss(), x.converged() >= 0
                            ? Integer.toString(x.converged()) : "not reached", x.trainAccuracy(), x.testAccuracy()));
        }
        return h.append("</table>\n").toString();
    }

    /** @return the section of summary.json */
    public static Map<String, Object> json(OverparamExperiment.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", r.config().toString());
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
