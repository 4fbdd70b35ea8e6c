package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.experiments.report.Charts;
import io.github.adaloss.experiments.report.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * The suite's tables (metric against b0 per optimizer and configuration, the paper's table; metric against eta
 * multiples; the Adam and SGD grids), charts, CSV and JSON, all computed from the runs.
 */
public final class PractitionerReport {

    private PractitionerReport() {
    }

    /** @return the configurations present, in suite order */
    static List<String> workloads(List<PracticeRun> runs) {
        List<String> present = runs.stream().map(PracticeRun::workload).distinct().toList();
        List<String> out = new ArrayList<>();
        Workloads.IDS.stream().filter(present::contains).forEach(out::add);
        present.stream().filter(w -> !out.contains(w)).forEach(out::add);
        return out;
    }

    /** @return header of {@link #b0Rows} */
    public static List<String> b0Header() {
        List<String> h = new ArrayList<>(List.of("configuration", "optimizer", "published"));
        for (double b : OptimizerGrid.B0) {
            h.add("b0=" + OptimizerSpec.fmt(b));
        }
        h.add("spread");
        return h;
    }

    /**
     * The paper's table: per configuration and family, the metric (mean over seeds) at the default eta for each b0,
     * next to the published updater's, and the spread (best minus worst b0).
     *
     * @param runs the table runs
     * @return rows of text cells
     */
    public static List<List<String>> b0Rows(List<PracticeRun> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (String w : workloads(runs)) {
            boolean reg = Table.regression(runs, w);
            String pub = show(reg, Table.mean(runs, w, "published", "published", Double.NaN));
            for (String f : OptimizerGrid.FAMILIES) {
                TreeMap<Double, Double> curve = Table.b0Curve(runs, w, f);
                if (curve.isEmpty()) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(w, f + " (eta " + OptimizerSpec.fmt(
                        OptimizerGrid.defaultEta(f)) + ")", pub));
                for (double b : OptimizerGrid.B0) {
                    Double m = curve.get(b);
                    row.add(m == null ? "" : Table.show(reg, m) + crashMark(runs, w, f, b));
                }
                row.add(spread(reg, curve));
                rows.add(row);
            }
        }
        return rows;
    }

    /** @return header of {@link #etaRows} */
    public static List<String> etaHeader() {
        List<String> h = new ArrayList<>(List.of("configuration", "optimizer"));
        for (double m : new double[] {0.1, 1.0 / 3, 1, 3, 10}) {
            h.add("eta x" + OptimizerSpec.fmt(m));
        }
        return h;
    }

    /**
     * @param runs the table runs
     * @return per configuration and family: metric at eta multiples of the default (b0 default), with
     *         "(loss up)" when the training loss did not decrease in some seed
     */
    public static List<List<String>> etaRows(List<PracticeRun> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (String w : workloads(runs)) {
            boolean reg = Table.regression(runs, w);
            for (String f : OptimizerGrid.FAMILIES) {
                if (runs.stream().noneMatch(r -> Table.matches(r, w, f, "eta", OptimizerGrid.ETA_MULTIPLES[0]))) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(w, f));
                for (double m : new double[] {0.1, 1.0 / 3, 1, 3, 10}) {
                    String p = m == 1 ? "default" : "eta";
                    double v = m == 1 ? Double.NaN : m;
                    List<PracticeRun> rs = runs.stream().filter(r -> Table.matches(r, w, f, p, v)).toList();
                    boolean up = rs.stream().anyMatch(r -> !r.crashed() && !r.lossDecreased());
                    row.add(show(reg, Table.mean(runs, w, f, p, v)) + (up ? " (loss up)" : "")
                            + (rs.stream().anyMatch(PracticeRun::crashed) ? " (crash)" : ""));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** @return header of {@link #contrastRows} */
    public static List<String> contrastHeader() {
        return List.of("configuration", "optimizer", "lr grid: metric", "best", "worst");
    }

    /**
     * @param runs the table runs
     * @return Adam and SGD over their grids, per configuration
     */
    public static List<List<String>> contrastRows(List<PracticeRun> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (String w : workloads(runs)) {
            boolean reg = Table.regression(runs, w);
            for (String f : List.of("Adam", "SGD")) {
                double[] grid = "Adam".equals(f) ? OptimizerGrid.ADAM_LR : OptimizerGrid.SGD_LR;
                StringBuilder cells = new StringBuilder();
                TreeMap<Double, Double> curve = new TreeMap<>();
                for (double lr : grid) {
                    OptionalDouble m = Table.mean(runs, w, f, "lr", lr);
                    if (m.isPresent()) {
                        curve.put(lr, m.getAsDouble());
                        cells.append(cells.length() == 0 ? "" : ", ").append(OptimizerSpec.fmt(lr)).append(": ")
                                .append(Table.show(reg, m.getAsDouble()));
                    }
                }
                if (curve.isEmpty()) {
                    continue;
                }
                rows.add(List.of(w, f, cells.toString(), extreme(reg, curve, true), extreme(reg, curve, false)));
            }
        }
        return rows;
    }

    /** @return header of {@link #secondsRows} */
    public static List<String> secondsHeader() {
        return List.of("configuration", "runs", "seconds", "seconds per run");
    }

    /**
     * @param runs runs
     * @return seconds spent per configuration
     */
    public static List<List<String>> secondsRows(List<PracticeRun> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (String w : workloads(runs)) {
            List<PracticeRun> rs = runs.stream().filter(r -> r.workload().equals(w)).toList();
            double s = rs.stream().mapToDouble(PracticeRun::seconds).sum();
            rows.add(List.of(w, String.valueOf(rs.size()), String.format(Locale.ROOT, "%.1f", s),
                    String.format(Locale.ROOT, "%.2f", s / rs.size())));
        }
        return rows;
    }

    /**
     * @param runs table runs
     * @param w    configuration
     * @return metric against b0 for each family (NaN points are dropped by the chart), and the published updater as
     *         a flat line
     */
    public static XYChart b0Chart(List<PracticeRun> runs, String w) {
        boolean reg = Table.regression(runs, w);
        List<Series> series = new ArrayList<>();
        double[] xs = OptimizerGrid.B0;
        for (String f : OptimizerGrid.FAMILIES) {
            TreeMap<Double, Double> curve = Table.b0Curve(runs, w, f);
            if (curve.isEmpty()) {
                continue;
            }
            double[] x = curve.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] y = curve.values().stream().mapToDouble(v -> reg ? v : 100 * v).toArray();
            series.add(new Series(f, x, y));
        }
        OptionalDouble pub = Table.mean(runs, w, "published", "published", Double.NaN);
        if (pub.isPresent()) {
            double p = reg ? pub.getAsDouble() : 100 * pub.getAsDouble();
            series.add(new Series("published updater", new double[] {xs[0], xs[xs.length - 1]}, new double[] {p, p}));
        }
        XYChart chart = Charts.lines(w + ": " + (reg ? "test RMSE / std(y)" : "test accuracy") + " vs b0 at the "
                + "default eta", "b0", reg ? "relative error" : "accuracy (%)", true, false, series);
        chart.getStyler().setMarkerSize(8);
        return chart;
    }

    /**
     * @param runs runs
     * @return the runs and verdicts as JSON-ready maps (full precision)
     */
    public static Map<String, Object> json(List<PracticeRun> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (String f : OptimizerGrid.FAMILIES) {
            defaults.put(f, Map.of("eta", OptimizerGrid.defaultEta(f), "b0", OptimizerGrid.defaultB0(f)));
        }
        m.put("defaults", defaults);
        List<Map<String, Object>> vs = new ArrayList<>();
        for (Verdict v : PractitionerClaims.evaluate(runs)) {
            vs.add(Map.of("text", v.text(), "holds", v.holds(), "evidence", v.evidence()));
        }
        m.put("claims", vs);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (PracticeRun r : runs) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("workload", r.workload());
            x.put("family", r.family());
            x.put("parameter", r.parameter());
            x.put("value", finite(r.value()));
            x.put("eta", finite(r.eta()));
            x.put("b0", finite(r.b0()));
            x.put("seed", r.seed());
            x.put("metric", finite(r.metric()));
            x.put("initialLoss", finite(r.initialLoss()));
            x.put("finalLoss", finite(r.finalLoss()));
            x.put("lossDecreased", r.lossDecreased());
            x.put("status", r.status());
            x.put("error", r.error());
            x.put("finalB", finite(r.finalB()));
            x.put("updates", r.updates());
            x.put("seconds", r.seconds());
            rs.add(x);
        }
        m.put("runs", rs);
        return m;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * Writes table.txt, practitioner.json, runs.csv (if absent) and one chart per configuration into {@code out}.
     *
     * @param runs runs
     * @param out  folder
     * @throws IOException if a file cannot be written
     */
    public static void writeFiles(List<PracticeRun> runs, Path out) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("table.txt"), text(runs));
        Path csv = out.resolve("runs.csv");
        if (!Files.exists(csv)) {
            Files.writeString(csv, RunCsv.text(runs));
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
                out.resolve("practitioner.json").toFile(), json(runs));
        for (String w : workloads(runs)) {
            Files.write(out.resolve("practitioner-" + w + ".png"), Charts.png(b0Chart(runs, w)));
        }
    }

    /**
     * @param runs runs
     * @return the tables and verdicts as plain text
     */
    public static String text(List<PracticeRun> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("Metric vs b0 at the default eta (accuracy in %, regression: test RMSE / std; * = a crashed run)\n");
        sb.append(render(b0Header(), b0Rows(runs)));
        sb.append("\nMetric vs eta (multiples of the default, b0 default)\n").append(render(etaHeader(), etaRows(runs)));
        sb.append("\nAdam and SGD for contrast\n").append(render(contrastHeader(), contrastRows(runs)));
        sb.append("\nSeconds\n").append(render(secondsHeader(), secondsRows(runs)));
        sb.append("\nGoals\n");
        for (Verdict v : PractitionerClaims.evaluate(runs)) {
            sb.append(v.holds() ? "[holds] " : "[DOES NOT] ").append(v.text()).append('\n');
            v.evidence().forEach((k, x) -> sb.append("    ").append(k).append(": ").append(x).append('\n'));
        }
        return sb.toString();
    }

    /**
     * @param header column names
     * @param rows   cells
     * @return a fixed-width text table
     */
    public static String render(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < w.length; i++) {
                sb.append(String.format(Locale.ROOT, "%-" + (w[i] + 2) + "s", r.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String show(boolean reg, OptionalDouble v) {
        return v.isPresent() ? Table.show(reg, v.getAsDouble()) : "";
    }

    private static String crashMark(List<PracticeRun> runs, String w, String f, double b0) {
        return Table.crashesAtB0(runs, w, f, b0) > 0 ? "*" : "";
    }

    private static String spread(boolean reg, TreeMap<Double, Double> curve) {
        double best = Double.NaN;
        double worst = Double.NaN;
        for (double v : curve.values()) {
            best = Tolerance.better(reg, v, best) ? v : best;
            worst = Double.isNaN(worst) || Tolerance.better(reg, worst, v) || Double.isNaN(v) ? v : worst;
        }
        if (Double.isNaN(worst)) {
            return "crash";
        }
        return reg ? String.format(Locale.ROOT, "%.0f%%", 100 * (worst / best - 1))
                : String.format(Locale.ROOT, "%.1f pts", 100 * (best - worst));
    }

    private static String extreme(boolean reg, TreeMap<Double, Double> curve, boolean best) {
        Map.Entry<Double, Double> pick = null;
        for (Map.Entry<Double, Double> e : curve.entrySet()) {
            if (pick == null) {
                pick = e;
            } else {
                boolean b = Tolerance.better(reg, e.getValue(), pick.getValue());
                if (b == best) {
                    pick = e;
                }
            }
        }
        return Table.show(reg, pick.getValue()) + " at " + OptimizerSpec.fmt(pick.getKey());
    }
}
