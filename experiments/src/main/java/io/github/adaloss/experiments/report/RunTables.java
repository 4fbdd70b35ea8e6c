package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.RunRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;

/** Report helpers for sections made of {@link RunResult}s: CSV of the curves, run records, accuracy bars. */
public final class RunTables {

    private RunTables() {
    }

    /** @return CSV {@code experiment,optimizer,parameter,value,width,seed,iteration,loss,b}, one row per iteration */
    public static String curvesCsv(List<RunResult> runs) {
        StringBuilder sb = new StringBuilder("experiment,optimizer,parameter,value,width,seed,iteration,loss,b\n");
        for (RunResult r : runs) {
            for (int t = 0; t < r.loss().length; t++) {
                sb.append(r.experiment()).append(',').append(r.optimizer()).append(',').append(r.parameter())
                        .append(',').append(r.value()).append(',').append(r.width()).append(',').append(r.seed())
                        .append(',').append(t).append(',').append(r.loss()[t]).append(',').append(r.b()[t])
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Regression runs judged by the relative loss target {@link RunResult#TARGET}.
     *
     * @param section section id
     * @param runs    the runs
     * @return one record per run: status "reached at T", "not reached" or "diverged"; metrics width, iterations to
     *         target (NaN if not reached), final relative loss, final b
     */
    public static List<RunRecord> lossRecords(String section, List<RunResult> runs) {
        List<RunRecord> out = new ArrayList<>();
        for (RunResult r : runs) {
            int t = r.iterationsToTarget();
            String status = r.diverged() ? "diverged" : t >= 0 ? "reached at " + t : "not reached";
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("width", (double) r.width());
            m.put("iterationsToTarget", t >= 0 ? t : Double.NaN);
            m.put("finalRelativeLoss", r.finalLoss() / r.loss()[0]);
            m.put("finalB", r.finalB());
            out.add(new RunRecord(section, r.optimizer(), r.parameter(), r.value(), r.seed(), status, m));
        }
        return out;
    }

    /**
     * Classification runs judged by their accuracy.
     *
     * @param section section id
     * @param runs    the runs
     * @return one record per run: status "accuracy A" or "diverged"; metrics accuracy, final loss, final b
     */
    public static List<RunRecord> accuracyRecords(String section, List<RunResult> runs) {
        List<RunRecord> out = new ArrayList<>();
        for (RunResult r : runs) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("accuracy", r.diverged() ? Double.NaN : r.accuracy());
            m.put("finalLoss", r.finalLoss());
            m.put("finalB", r.finalB());
            out.add(new RunRecord(section, r.optimizer(), r.parameter(), r.value(), r.seed(),
                    r.diverged() ? "diverged" : "accuracy " + Formats.number(r.accuracy()), m));
        }
        return out;
    }

    /** @return {@code loss[t] / loss[0]} */
    public static double[] relative(double[] loss) {
        double[] rel = new double[loss.length];
        for (int i = 0; i < loss.length; i++) {
            rel[i] = loss[i] / loss[0];
        }
        return rel;
    }

    /**
     * @param title  chart title
     * @param runs   classification runs (several seeds per setting)
     * @param chance the accuracy of guessing, drawn as a line
     * @return grouped bars: mean accuracy per optimizer and hyperparameter index, error bars = spread over seeds
     */
    public static CategoryChart accuracyChart(String title, List<RunResult> runs, double chance) {
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
                double m = Arrays.stream(acc).average().orElse(0);
                double var = Arrays.stream(acc).map(a -> (a - m) * (a - m)).average().orElse(0);
                mean[i][c] = m;
                spread[i][c] = Math.sqrt(var);
            }
        }
        CategoryChart chart = Charts.bars(title, "hyperparameter index: b0 (AdaLoss, AdaGrad-Norm) / learning rate "
                + "(others)", "accuracy", categories, names, mean, spread);
        Charts.threshold(chart, "chance " + Formats.number(chance), chance, categories);
        return chart;
    }
}
