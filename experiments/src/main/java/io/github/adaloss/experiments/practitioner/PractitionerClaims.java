package io.github.adaloss.experiments.practitioner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Issue 11's goals computed from the suite's runs (means over seeds):
 * <ol>
 *   <li>each family at its defaults within 2 points of accuracy (10% relative error for the regression) of the
 *   configuration's published updater;</li>
 *   <li>every b0 in {1e-2, ..., 1e2} at the default eta within 3 points (15% relative) of the best b0, and no run ended
 *   in an exception;</li>
 *   <li>eta at 1/10x .. 10x the default: no exception, and the training loss decreased (mean of the last tenth of the
 *   updates below the mean of the first tenth).</li>
 * </ol>
 * A goal that does not hold is reported as not holding, with the numbers of every configuration.
 */
public final class PractitionerClaims {

    /** b0 robustness tolerance: 3 points of accuracy. */
    public static final double B0_ACCURACY = 0.03;
    /** b0 robustness tolerance for the regression: 15% relative error. */
    public static final double B0_RELATIVE = 0.15;

    private PractitionerClaims() {
    }

    /**
     * @param runs the table runs of the suite
     * @return the verdicts, per family: defaults vs published, b0 robustness, eta robustness
     */
    public static List<Verdict> evaluate(List<PracticeRun> runs) {
        List<Verdict> out = new ArrayList<>();
        List<String> workloads = runs.stream().map(PracticeRun::workload).distinct().toList();
        for (String f : OptimizerGrid.FAMILIES) {
            out.add(defaultsVsPublished(runs, workloads, f));
        }
        for (String f : OptimizerGrid.FAMILIES) {
            Verdict v = b0Robustness(runs, workloads, f);
            if (v != null) {
                out.add(v);
            }
        }
        for (String f : OptimizerGrid.FAMILIES) {
            Verdict v = etaRobustness(runs, workloads, f);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    static Verdict defaultsVsPublished(List<PracticeRun> runs, List<String> workloads, String family) {
        boolean holds = true;
        Map<String, Object> ev = new LinkedHashMap<>();
        for (String w : workloads) {
            OptionalDouble pub = Table.mean(runs, w, "published", "published", Double.NaN);
            OptionalDouble def = Table.mean(runs, w, family, "default", Double.NaN);
            if (pub.isEmpty() || def.isEmpty()) {
                continue;
            }
            boolean reg = Table.regression(runs, w);
            double s = Tolerance.normalizedShortfall(reg, def.getAsDouble(), pub.getAsDouble(), Tolerance.of(reg));
            boolean ok = s <= 1 && Table.crashes(runs, w, family, "default", Double.NaN) == 0;
            holds &= ok;
            ev.put(w, String.format(Locale.ROOT, "%s %s vs published %s (%s)", family, Table.show(reg,
                    def.getAsDouble()), Table.show(reg, pub.getAsDouble()), ok ? "within" : "NOT within"));
        }
        return new Verdict(family + " at its defaults is within 2 points of accuracy (10% relative error for the "
                + "regression) of each configuration's published updater", holds, ev);
    }

    static Verdict b0Robustness(List<PracticeRun> runs, List<String> workloads, String family) {
        boolean holds = true;
        boolean any = false;
        Map<String, Object> ev = new LinkedHashMap<>();
        for (String w : workloads) {
            boolean reg = Table.regression(runs, w);
            Map<Double, Double> byB0 = Table.b0Curve(runs, w, family);
            if (byB0.size() < 2) {
                continue;
            }
            any = true;
            double best = Double.NaN;
            for (double m : byB0.values()) {
                best = Tolerance.better(reg, m, best) ? m : best;
            }
            double worstShort = Double.NEGATIVE_INFINITY;
            double worstB0 = Double.NaN;
            for (Map.Entry<Double, Double> e : byB0.entrySet()) {
                double s = Tolerance.normalizedShortfall(reg, e.getValue(), best, reg ? B0_RELATIVE : B0_ACCURACY);
                if (s > worstShort) {
                    worstShort = s;
                    worstB0 = e.getKey();
                }
            }
            int crashes = 0;
            for (double b : byB0.keySet()) {
                crashes += Table.crashesAtB0(runs, w, family, b);
            }
            boolean ok = worstShort <= 1 && crashes == 0;
            holds &= ok;
            ev.put(w, String.format(Locale.ROOT, "best %s, worst %s at b0=%s, %d crashed run(s) (%s)",
                    Table.show(reg, best), Table.show(reg, byB0.get(worstB0)), OptimizerSpec.fmt(worstB0), crashes,
                    ok ? "within" : "NOT within"));
        }
        if (!any) {
            return null;
        }
        return new Verdict(family + ": every b0 in {1e-2, ..., 1e2} at the default eta is within 3 points (15% "
                + "relative for the regression) of the best b0, and no run ends in an exception", holds, ev);
    }

    static Verdict etaRobustness(List<PracticeRun> runs, List<String> workloads, String family) {
        boolean holds = true;
        boolean any = false;
        Map<String, Object> ev = new LinkedHashMap<>();
        for (String w : workloads) {
            List<PracticeRun> mine = runs.stream().filter(r -> r.workload().equals(w) && r.family().equals(family)
                    && ("eta".equals(r.parameter()) || "default".equals(r.parameter()))).toList();
            if (mine.stream().noneMatch(r -> "eta".equals(r.parameter()))) {
                continue;
            }
            any = true;
            List<String> bad = new ArrayList<>();
            for (PracticeRun r : mine) {
                if (r.crashed() || !r.lossDecreased()) {
                    bad.add(String.format(Locale.ROOT, "%s seed %d: %s", r.label(), r.seed(), r.crashed() ? "crashed"
                            : "loss " + fmtLoss(r.initialLoss()) + " -> " + fmtLoss(r.finalLoss())));
                }
            }
            holds &= bad.isEmpty();
            ev.put(w, bad.isEmpty() ? "all " + mine.size() + " runs: no crash, loss decreased" : String.join("; ", bad));
        }
        if (!any) {
            return null;
        }
        return new Verdict(family + " with eta from 1/10x to 10x its default: no run ends in an exception and the "
                + "training loss decreases", holds, ev);
    }

    private static String fmtLoss(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
