package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.Claims;
import io.github.adaloss.experiments.Suite;
import io.github.adaloss.experiments.overparam.OverparamReport;
import io.github.adaloss.experiments.realdata.RealDataExperiment;
import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.saddle.SaddleNoiseControl;
import io.github.adaloss.experiments.saddle.SaddleReport;
import io.github.adaloss.experiments.synthetic.Grids;
import io.github.adaloss.experiments.synthetic.MomentumExperiment;
import io.github.adaloss.experiments.synthetic.NtkExperiment;
import io.github.adaloss.ntk.listener.NtkSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.internal.chartpart.Chart;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * Writes the report folder: {@code index.html} (self-contained: charts embedded as PNG data URIs), the same charts
 * as {@code images/*.png}, every curve as CSV under {@code csv/}, and {@code summary.json}.
 */
public final class ReportWriter {

    private final Path out;
    private final Map<String, byte[]> images = new LinkedHashMap<>();

    /** @param out the report folder (created if needed) */
    public ReportWriter(Path out) {
        this.out = out;
    }

    /**
     * @param r the suite's results
     * @return the path of index.html
     * @throws IOException if a file cannot be written
     */
    public Path write(Suite.Results r) throws IOException {
        Files.createDirectories(out.resolve("images"));
        Files.createDirectories(out.resolve("csv"));
        List<Claims.Claim> claims = Claims.evaluate(r);
        writeCsv("robustness.csv", r.robustness());
        writeCsv("momentum.csv", r.momentum());
        writeCsv("ntk-training.csv", r.ntk().stream().map(NtkExperiment.NtkRun::run).toList());
        writeNtkCsv(r.ntk());
        writeCsv("iris.csv", r.iris());
        writeCsv("fashion-mnist.csv", r.fashion());
        charts(r);
        if (r.overparam() != null) {
            OverparamReport.write(r.overparam(), this);
        }
        if (r.saddle() != null) {
            SaddleReport.write(r.saddle(), this);
        }
        if (r.saddleControl() != null) {
            csv("saddle-noise-control.csv", r.saddleControl().toCsv());
        }
        for (Map.Entry<String, byte[]> e : images.entrySet()) {
            Files.write(out.resolve("images").resolve(e.getKey() + ".png"), e.getValue());
        }
        writeJson(r, claims);
        Path index = out.resolve("index.html");
        Files.writeString(index, html(r, claims), StandardCharsets.UTF_8);
        return index;
    }

    /**
     * Draws a chart into the report: {@code images/NAME.png} and, through {@link #img}, the HTML.
     *
     * @param name  file name without extension
     * @param chart the chart
     */
    public void add(String name, Chart<?, ?> chart) {
        images.put(name, Charts.png(chart));
    }

    /**
     * Writes {@code csv/NAME}.
     *
     * @param name    file name with extension
     * @param content the CSV text
     * @throws IOException if it cannot be written
     */
    public void csv(String name, String content) throws IOException {
        Files.createDirectories(out.resolve("csv"));
        Files.writeString(out.resolve("csv").resolve(name), content, StandardCharsets.UTF_8);
    }

    private static int widest(Suite.Results r) {
        int w = 0;
        for (int x : r.options().widths()) {
            w = Math.max(w, x);
        }
        return w;
    }

    private void charts(Suite.Results r) {
        int widest = widest(r);
        for (String opt : List.of("AdaLoss", "AdaGradNorm", "GD", "Adam")) {
            List<Series> lines = r.robustness().stream().filter(x -> x.optimizer().equals(opt) && x.width() == widest)
                    .map(x -> Series.indexed(x.parameter() + "=" + Formats.number(x.value())
                            + (x.diverged() ? " (diverged)" : ""), relative(x.loss())))
                    .toList();
            String title = opt + (opt.startsWith("Ada") && !opt.equals("Adam") ? " (eta=" + Formats.number(Grids.ADAPTIVE_ETA)
                    + ")" : "") + ", width " + widest + ": relative training loss";
            add("robustness-" + opt.toLowerCase(), Charts.lines(title, "iteration", "L(t) / L(0)", true, lines));
        }
        List<Series> bLines = new ArrayList<>();
        for (RunResult x : r.robustness()) {
            if (x.width() == widest && (x.optimizer().equals("AdaLoss") || x.optimizer().equals("AdaGradNorm"))) {
                bLines.add(Series.indexed(x.optimizer() + " b0=" + Formats.number(x.value()), x.b()));
            }
        }
        add("b-curves", Charts.lines("Accumulator b_t, width " + widest + ": grows, then flattens", "iteration", "b_t",
                true, bLines));
        List<Series> finals = new ArrayList<>();
        for (String opt : List.of("AdaLoss", "AdaGradNorm", "GD", "Adam")) {
            for (int w : r.options().widths()) {
                List<RunResult> runs = r.robustness().stream()
                        .filter(x -> x.optimizer().equals(opt) && x.width() == w).toList();
                double[] xs = runs.stream().mapToDouble(RunResult::value).toArray();
                double[] ys = runs.stream().mapToDouble(x -> x.diverged() ? 1e3 : Math.max(1e-30,
                        x.finalLoss() / x.loss()[0])).toArray();
                finals.add(new Series(opt + " m=" + w, xs, ys));
            }
        }
        var summary = Charts.lines("Final relative loss vs b0 (AdaLoss, AdaGradNorm) or step (GD, Adam); 1e3 = diverged",
                "b0 or learning rate", "L(T) / L(0)", true, finals);
        summary.getStyler().setXAxisLogarithmic(true);
        add("robustness-summary", summary);

        List<Series> lambda = new ArrayList<>();
        List<Series> drift = new ArrayList<>();
        List<Series> step = new ArrayList<>();
        for (NtkExperiment.NtkRun run : r.ntk()) {
            String name = "m=" + run.run().width() + " b0=" + Formats.number(run.run().value());
            double[] it = run.snapshots().stream().mapToDouble(NtkSnapshot::iteration).toArray();
            lambda.add(new Series(name, it, run.snapshots().stream().mapToDouble(s -> s.lambdaMin() / run.lambda0())
                    .toArray()));
            drift.add(new Series(name, it, run.snapshots().stream().mapToDouble(NtkSnapshot::kernelDrift).toArray()));
            if (run.run().width() == widest) {
                step.add(new Series("eta/b_t, b0=" + Formats.number(run.run().value()), it,
                        run.snapshots().stream().mapToDouble(NtkSnapshot::stepSize).toArray()));
                step.add(new Series("2/lambda_max(H(t)), b0=" + Formats.number(run.run().value()), it,
                        run.snapshots().stream().mapToDouble(NtkSnapshot::stabilityEdge).toArray()));
            }
        }
        add("ntk-lambda-min", Charts.lines("lambda_min(H(t)) / lambda_0 during AdaLoss training", "iteration",
                "lambda_min(H(t)) / lambda_0", false, lambda));
        add("ntk-drift", Charts.lines("Kernel drift ||H(t) - H(0)||_F / ||H(0)||_F", "iteration", "relative drift",
                false, drift));
        add("ntk-step", Charts.lines("Effective step vs gradient-descent stability edge, width " + widest, "iteration",
                "step size", true, step));
        add("momentum", Charts.lines("Heavy ball vs Nesterov, width " + MomentumExperiment.width(r.options())
                + " (eta = 1/lambda_max(H(0)))", "iteration", "L(t) / L(0)", true,
                r.momentum().stream().map(x -> Series.indexed(x.optimizer() + " (tail rate "
                        + Formats.number(MomentumExperiment.tailRate(x.loss())) + ")", relative(x.loss()))).toList()));
        if (!r.iris().isEmpty()) {
            add("iris", accuracyChart("Iris: training accuracy (mean and spread over seeds)", r.iris()));
        }
        if (!r.fashion().isEmpty()) {
            add("fashion-mnist", accuracyChart("Fashion-MNIST LeNet: test accuracy (mean and spread over seeds)",
                    r.fashion()));
        }
    }

    private static double[] relative(double[] loss) {
        double[] rel = new double[loss.length];
        for (int i = 0; i < loss.length; i++) {
            rel[i] = loss[i] / loss[0];
        }
        return rel;
    }

    private static Chart<?, ?> accuracyChart(String title, List<RunResult> runs) {
        Map<String, List<RunResult>> byOptimizer = runs.stream()
                .collect(Collectors.groupingBy(RunResult::optimizer, LinkedHashMap::new, Collectors.toList()));
        List<String> names = new ArrayList<>(byOptimizer.keySet());
        int points = 0;
        for (List<RunResult> l : byOptimizer.values()) {
            points = Math.max(points, (int) l.stream().mapToDouble(RunResult::value).distinct().count());
        }
        List<String> categories = new ArrayList<>();
        for (int c = 0; c < points; c++) {
            final int index = c;
            categories.add(byOptimizer.values().stream().map(l -> {
                double[] grid = l.stream().mapToDouble(RunResult::value).distinct().toArray();
                return index < grid.length ? l.get(0).parameter() + " " + Formats.number(grid[index]) : "";
            }).distinct().collect(Collectors.joining(" / ")));
        }
        double[][] mean = new double[names.size()][points];
        double[][] spread = new double[names.size()][points];
        for (int i = 0; i < names.size(); i++) {
            List<RunResult> l = byOptimizer.get(names.get(i));
            double[] grid = l.stream().mapToDouble(RunResult::value).distinct().toArray();
            for (int c = 0; c < grid.length; c++) {
                double v = grid[c];
                double[] acc = l.stream().filter(x -> x.value() == v).mapToDouble(RunResult::accuracy).toArray();
                double m = java.util.Arrays.stream(acc).average().orElse(0);
                double var = java.util.Arrays.stream(acc).map(a -> (a - m) * (a - m)).average().orElse(0);
                mean[i][c] = m;
                spread[i][c] = Math.sqrt(var);
            }
        }
        return Charts.bars(title, "accuracy", categories, names, mean, spread);
    }

    private void writeCsv(String name, List<RunResult> runs) throws IOException {
        StringBuilder sb = new StringBuilder("experiment,optimizer,parameter,value,width,seed,iteration,loss,b\n");
        for (RunResult r : runs) {
            for (int t = 0; t < r.loss().length; t++) {
                sb.append(r.experiment()).append(',').append(r.optimizer()).append(',').append(r.parameter())
                        .append(',').append(r.value()).append(',').append(r.width()).append(',').append(r.seed())
                        .append(',').append(t).append(',').append(r.loss()[t]).append(',').append(r.b()[t])
                        .append('\n');
            }
        }
        Files.writeString(out.resolve("csv").resolve(name), sb.toString(), StandardCharsets.UTF_8);
    }

    private void writeNtkCsv(List<NtkExperiment.NtkRun> runs) throws IOException {
        StringBuilder sb = new StringBuilder("width,b0,lambda_0," + NtkSnapshot.CSV_HEADER + "\n");
        for (NtkExperiment.NtkRun run : runs) {
            for (NtkSnapshot s : run.snapshots()) {
                sb.append(run.run().width()).append(',').append(run.run().value()).append(',').append(run.lambda0())
                        .append(',').append(s.csvRow()).append('\n');
            }
        }
        Files.writeString(out.resolve("csv").resolve("ntk-spectrum.csv"), sb.toString(), StandardCharsets.UTF_8);
    }

    private void writeJson(Suite.Results r, List<Claims.Claim> claims) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("options", r.options().toString());
        root.put("secondsPerSection", r.seconds());
        root.put("claims", claims);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunResult x : r.allRuns()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("experiment", x.experiment());
            m.put("optimizer", x.optimizer());
            m.put(x.parameter(), x.value());
            m.put("width", x.width());
            m.put("seed", x.seed());
            m.put("iterationsToRelativeLoss1e-4", x.iterationsToTarget());
            m.put("status", x.status());
            m.put("finalLoss", x.finalLoss());
            m.put("finalB", Double.isNaN(x.finalB()) ? null : x.finalB());
            m.put("accuracy", Double.isNaN(x.accuracy()) ? null : x.accuracy());
            runs.add(m);
        }
        root.put("runs", runs);
        Map<String, Object> ntk = new LinkedHashMap<>();
        for (NtkExperiment.NtkRun n : r.ntk()) {
            ntk.put("m=" + n.run().width() + ",b0=" + n.run().value(), Map.of("lambda0", n.lambda0(),
                    "minLambdaRatio", NtkExperiment.minLambdaRatio(n),
                    "finalDrift", n.snapshots().get(n.snapshots().size() - 1).kernelDrift()));
        }
        root.put("ntk", ntk);
        root.put("fashionMnist", r.fashionMissing() == null ? "ran" : r.fashionMissing());
        root.put("overparam", r.overparam() == null ? "skipped" : OverparamReport.json(r.overparam()));
        root.put("saddle", r.saddle() == null ? "skipped" : SaddleReport.json(r.saddle()));
        root.put("saddleNoiseControl", r.saddleControl() == null ? "skipped"
                : SaddleNoiseControl.json(r.saddleControl()));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("summary.json").toFile(),
                root);
    }

    /**
     * @param name    a chart added with {@link #add}
     * @param caption its caption
     * @return an HTML figure embedding the chart as a PNG data URI, empty if there is no such chart
     */
    public String img(String name, String caption) {
        byte[] png = images.get(name);
        if (png == null) {
            return "";
        }
        return "<figure><img alt=\"" + escape(caption) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"><figcaption>" + escape(caption)
                + "</figcaption></figure>\n";
    }

    /** @return {@code s} with the HTML special characters escaped */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private String html(Suite.Results r, List<Claims.Claim> claims) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>dl4j-adaloss report</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px}")
                .append("th{background:#f0f0f0}img{max-width:100%}.ok{color:#17702a}.no{color:#b00020}")
                .append("figure{margin:1em 0}figcaption{font-size:13px;color:#555}</style></head><body>\n");
        h.append("<h1>AdaLoss, gradient descent and the NTK: reproduced</h1>\n<p>")
                .append(escape(r.options().toString())).append("</p>\n");
        h.append("<h2>Claims checked on these numbers</h2>\n<table><tr><th>claim</th><th>holds</th><th>evidence</th></tr>\n");
        for (Claims.Claim c : claims) {
            h.append("<tr><td>").append(escape(c.name())).append("</td><td class=\"").append(c.holds() ? "ok\">yes"
                    : "no\">NO").append("</td><td>").append(escape(c.evidence())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        h.append("<h2>1. Step-size robustness</h2>\n<p>Two-layer ReLU network f(x) = (1/sqrt m) sum_r a_r relu(w_r.x), ")
                .append("inputs on the unit sphere, labels N(0,1), objective 1/2 sum (f - y)^2, full batch, ")
                .append(r.options().iterations()).append(" iterations at most (a run stops once its loss is ")
                .append(Formats.number(RunResult.EARLY_STOP)).append(" of the initial one). AdaLoss and AdaGrad-Norm ")
                .append("use one learning rate eta = ").append(Formats.number(Grids.ADAPTIVE_ETA))
                .append(" (alpha = 1) for every b0; GD and Adam sweep their learning rate over as many decades. ")
                .append("The loss charts show the widest network. Read them from top to bottom: a curve that leaves ")
                .append("the chart upwards diverged; a curve that flattens stalled; a straight descending line is ")
                .append("linear convergence. With a small b0, AdaLoss first overshoots (the spike: its first step is ")
                .append("about 100 times the stable one), b_t grows with the loss until eta/b_t is below the ")
                .append("stability edge, then the loss falls linearly. The claim is made for over-parameterized ")
                .append("widths (m >= ").append(Claims.OVERPARAMETERIZED).append(" n); narrower networks are shown as ")
                .append("a control in the summary chart and table, and the theory does not cover them.</p>\n");
        h.append(img("robustness-summary", "Final relative loss of every run against its hyperparameter"));
        h.append(img("robustness-adaloss", "AdaLoss: every b0 reaches the same loss"));
        h.append(img("robustness-adagradnorm", "AdaGrad-Norm over the same b0 grid"));
        h.append(img("robustness-gd", "Gradient descent: a narrow window of working step sizes"));
        h.append(img("robustness-adam", "Adam over its learning-rate grid"));
        h.append(img("b-curves", "b_t: grows while the loss (or gradient) is large, then stays constant"));
        h.append("<h2>2. Heavy ball vs Nesterov</h2>\n<p>Same problem, width ").append(MomentumExperiment.width(r.options()))
                .append(". The tail rate is the per-iteration contraction factor fitted on the second half of each ")
                .append("curve (smaller is faster; 1 means no linear convergence).</p>\n");
        h.append(img("momentum", "Loss curves of GD, heavy ball (beta 0.9) and Nesterov (beta_t = (t-1)/(t+2))"));
        h.append("<h2>3. The NTK during training</h2>\n<p>lambda_0 = lambda_min(Hinf) of the training inputs. ")
                .append("Wide networks keep H(t) close to H(0) (lazy training); narrow ones drift. The effective step ")
                .append("eta/b_t of AdaLoss settles below the gradient-descent stability edge 2/lambda_max(H(t)).</p>\n");
        h.append(img("ntk-lambda-min", "lambda_min(H(t)) / lambda_0 per width"));
        h.append(img("ntk-drift", "Relative kernel drift per width"));
        h.append(img("ntk-step", "AdaLoss effective step vs stability edge"));
        h.append("<h2>4. Real data</h2>\n");
        if (r.iris().isEmpty()) {
            h.append("<p>Skipped.</p>\n");
        } else {
            h.append("<p>Iris, MLP 4-16-3, full batch, 200 iterations; AdaLoss and AdaGrad-Norm at their default ")
                    .append("learning rates over b0, Adam and SGD over the learning rate; ")
                    .append(RealDataExperiment.SEEDS).append(" seeds.</p>\n");
            h.append(img("iris", "Iris training accuracy"));
        }
        if (r.fashion().isEmpty()) {
            h.append("<p>Fashion-MNIST: ").append(escape(String.valueOf(r.fashionMissing()))).append("</p>\n");
        } else {
            h.append("<p>Fashion-MNIST, zoo LeNet, ").append(r.options().full()
                    ? "4096 training images, batches of 64, 3 epochs" : "512 training images, batches of 32, one epoch "
                    + "(16 updates: at this budget the chart shows how fast each setting starts to learn)")
                    .append("; AdaLoss and AdaGrad-Norm at eta = ").append(Formats.number(RealDataExperiment.LENET_ETA))
                    .append(" over b0, Adam and SGD over the learning rate; accuracy on 1000 test images; ")
                    .append(RealDataExperiment.SEEDS).append(" seeds.</p>\n");
            h.append(img("fashion-mnist", "Fashion-MNIST test accuracy"));
        }
        h.append(r.overparam() == null ? "<h2>5. Over-parameterization</h2>\n<p>Skipped (--no-overparam).</p>\n"
                : OverparamReport.html(r.overparam(), this));
        h.append(r.saddle() == null ? "<h2>6. Saddle escape</h2>\n<p>Skipped (--no-saddle).</p>\n"
                : SaddleReport.html(r.saddle(), this) + SaddleReport.controlHtml(r.saddleControl()));
        h.append("<h2>Summary of every run of sections 1-4</h2>\n<table><tr>");
        for (String c : SummaryTable.HEADERS) {
            h.append("<th>").append(escape(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (List<String> row : SummaryTable.rows(r.allRuns())) {
            h.append("<tr>");
            for (String cell : row) {
                h.append("<td>").append(escape(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p>Curves: csv/*.csv. Numbers: summary.json.</p>\n</body></html>\n");
        return h.toString();
    }
}
