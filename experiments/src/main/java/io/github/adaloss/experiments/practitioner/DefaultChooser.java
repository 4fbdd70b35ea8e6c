package io.github.adaloss.experiments.practitioner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Chooses one default eta per optimizer from the eta sweep (issue 11, item 3): for every configuration and seed, the
 * family's best eta on the sweep is the reference; an eta "serves" a (configuration, seed) when its metric is within
 * {@link Tolerance} of that reference. Only etas run on every (configuration, seed) pair compete (the heavy
 * configurations run a coarser grid), and, safety first, only etas with no unsafe run (crashed, diverged, or a
 * training loss that did not decrease) on any pair, when there is such an eta; among those, the chosen eta serves the
 * most pairs; ties go to the smallest worst normalized shortfall, then to the smaller eta.
 */
public final class DefaultChooser {

    private DefaultChooser() {
    }

    /**
     * One eta of one family.
     *
     * @param family     optimizer
     * @param eta        learning rate
     * @param served     (configuration, seed) pairs within tolerance of the family's best
     * @param pairs      pairs evaluated
     * @param worst      worst normalized shortfall over the configurations (mean over seeds)
     * @param crashes    runs that crashed or diverged
     * @param unsafe     runs that crashed, diverged, or whose training loss did not decrease
     * @param byWorkload mean metric per configuration
     */
    public record Row(String family, double eta, int served, int pairs, double worst, int crashes, int unsafe,
                      Map<String, Double> byWorkload) {
    }

    /**
     * @param sweep  runs with parameter "lr" (others ignored)
     * @param family the optimizer
     * @return one row per eta, ascending
     */
    public static List<Row> rows(List<PracticeRun> sweep, String family) {
        List<PracticeRun> mine = sweep.stream().filter(r -> r.family().equals(family) && "lr".equals(r.parameter()))
                .toList();
        Map<String, Double> best = new LinkedHashMap<>();
        Map<String, Boolean> regression = new LinkedHashMap<>();
        for (PracticeRun r : mine) {
            String key = r.workload() + "#" + r.seed();
            regression.put(r.workload(), r.regression());
            Double b = best.get(key);
            if (b == null || Tolerance.better(r.regression(), r.metric(), b)) {
                best.put(key, r.metric());
            }
        }
        TreeSet<Double> etas = new TreeSet<>();
        mine.forEach(r -> etas.add(r.eta()));
        List<String> workloads = mine.stream().map(PracticeRun::workload).distinct().toList();
        List<Row> out = new ArrayList<>();
        for (double eta : etas) {
            int served = 0;
            int pairs = 0;
            int crashes = 0;
            int unsafe = 0;
            double worst = Double.NEGATIVE_INFINITY;
            Map<String, Double> by = new LinkedHashMap<>();
            for (String w : workloads) {
                double sumShort = 0;
                double sumMetric = 0;
                int n = 0;
                for (PracticeRun r : mine) {
                    if (!r.workload().equals(w) || r.eta() != eta) {
                        continue;
                    }
                    double ref = best.get(w + "#" + r.seed());
                    double s = Tolerance.normalizedShortfall(r.regression(), r.metric(), ref,
                            Tolerance.of(r.regression()));
                    pairs++;
                    served += s <= 1 ? 1 : 0;
                    crashes += "ok".equals(r.status()) ? 0 : 1;
                    unsafe += r.lossDecreased() ? 0 : 1;
                    sumShort += s;
                    sumMetric += r.metric();
                    n++;
                }
                if (n > 0) {
                    worst = Math.max(worst, sumShort / n);
                    by.put(w, sumMetric / n);
                }
            }
            out.add(new Row(family, eta, served, pairs, worst, crashes, unsafe, by));
        }
        return out;
    }

    /**
     * @param rows rows of one family
     * @return the chosen row (see the class comment), or null if there is none
     */
    public static Row choose(List<Row> rows) {
        Row best = null;
        int most = rows.stream().mapToInt(Row::pairs).max().orElse(0);
        boolean anySafe = rows.stream().anyMatch(r -> r.pairs() == most && r.unsafe() == 0);
        for (Row r : rows) {
            if (r.pairs() < most || (anySafe && r.unsafe() > 0)) {
                continue;
            }
            if (best == null || r.served() > best.served()
                    || (r.served() == best.served() && r.worst() < best.worst())) {
                best = r;
            }
        }
        return best;
    }

    /**
     * @param sweep the sweep's runs
     * @return a text table per family and the chosen eta
     */
    public static String report(List<PracticeRun> sweep) {
        StringBuilder sb = new StringBuilder();
        for (String f : OptimizerGrid.FAMILIES) {
            List<Row> rows = rows(sweep, f);
            if (rows.isEmpty()) {
                continue;
            }
            sb.append("\n").append(f).append(": metric (mean over seeds) per eta; served = pairs within tolerance of "
                    + "the family's best eta\n");
            List<String> ws = new ArrayList<>(rows.get(0).byWorkload().keySet());
            sb.append(String.format(Locale.ROOT, "%10s", "eta"));
            ws.forEach(w -> sb.append(String.format(Locale.ROOT, " %10s", w)));
            sb.append("  served  worst  crashes unsafe\n");
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%10.4g", r.eta()));
                ws.forEach(w -> sb.append(String.format(Locale.ROOT, " %10.4f",
                        r.byWorkload().getOrDefault(w, Double.NaN))));
                sb.append(String.format(Locale.ROOT, "  %2d/%-2d  %6.2f  %d  %d%n", r.served(), r.pairs(), r.worst(),
                        r.crashes(), r.unsafe()));
            }
            Row c = choose(rows);
            sb.append(String.format(Locale.ROOT, "chosen %s eta = %.4g (serves %d/%d, worst shortfall %.2f x "
                    + "tolerance)%n", f, c.eta(), c.served(), c.pairs(), c.worst()));
        }
        return sb.toString();
    }
}
