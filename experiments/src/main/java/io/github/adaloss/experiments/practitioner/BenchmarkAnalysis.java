package io.github.adaloss.experiments.practitioner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of the realistic benchmark ({@link RealisticBenchmark}): per configuration, mean and standard
 * deviation over seeds of every optimizer setting, the test set's sampling error, and the comparisons of issue 19 as
 * paired differences over seeds (same initialization and batch order) with a 95% Student-t confidence interval.
 *
 * <p>Verdicts: a goal "within d of the reference" HOLDS when the whole interval of the paired difference lies above
 * {@code -d}, FAILS when the whole interval lies below, and is INCONCLUSIVE otherwise (the seeds cannot tell). For a
 * regression the paired quantity is the relative change of the test error, {@code e_A / e_ref - 1}, against
 * {@code +10%}. A comparison needs at least 3 paired seeds.
 */
public final class BenchmarkAnalysis {

    /** Accuracy tolerance of the drop-in goal, points. */
    public static final double DROP_IN_POINTS = 2;
    /** Relative-error tolerance of the drop-in goal for regressions. */
    public static final double DROP_IN_RELATIVE = 0.10;
    /** Accuracy tolerance of the b0 goal (every b0 against the best b0), points. */
    public static final double B0_POINTS = 3;
    /** Families of the b0 table, in report order. */
    public static final List<String> B0_FAMILIES = List.of("AdaLoss", "AdaGradNorm", "AdamLoss",
            OptimizerGrid.SGD_CONSTANT, OptimizerGrid.SGD_DECAY_SQRT, OptimizerGrid.ROW_ADAGRAD_NORM,
            OptimizerGrid.ADALOSS_RELATIVE);
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};

    private BenchmarkAnalysis() {
    }

    /** Verdict of a comparison. */
    public enum Verdict {
        /** The interval lies on the good side of the tolerance. */
        HOLDS,
        /** The interval lies on the bad side. */
        FAILS,
        /** The interval straddles the tolerance, or fewer than 3 paired seeds. */
        INCONCLUSIVE
    }

    /**
     * A paired comparison over seeds.
     *
     * @param n     paired seeds
     * @param mean  mean difference (points of accuracy, or relative change of the error)
     * @param lo    lower end of the 95% interval
     * @param hi    upper end
     * @param verdict against the tolerance
     */
    public record Paired(int n, double mean, double lo, double hi, Verdict verdict) {
    }

    /**
     * @param df degrees of freedom, at least 1
     * @return the 97.5% quantile of Student's t
     */
    static double t975(int df) {
        return df <= T975.length ? T975[df - 1] : 1.96 + 2.4 / df;
    }

    /**
     * @param runs      runs
     * @param workload  configuration
     * @param family    family
     * @param parameter parameter
     * @param value     value
     * @return metric per seed (accuracy in points, or relative error), a crashed classifier counting 0
     */
    static TreeMap<Long, Double> bySeed(List<PracticeRun> runs, String workload, String family, String parameter,
                                        double value) {
        TreeMap<Long, Double> out = new TreeMap<>();
        for (PracticeRun r : runs) {
            if (Table.matches(r, workload, family, parameter, value)) {
                double m = r.metric();
                out.put(r.seed(), r.regression() ? m : 100 * (Double.isNaN(m) ? 0 : m));
            }
        }
        return out;
    }

    /**
     * @param a          metric per seed of the candidate
     * @param ref        metric per seed of the reference
     * @param regression true: relative change of the error against {@code +tolerance}; false: points against
     *                   {@code -tolerance}
     * @param tolerance  the goal's tolerance (points, or a fraction)
     * @return the paired comparison over the seeds both have
     */
    public static Paired paired(Map<Long, Double> a, Map<Long, Double> ref, boolean regression, double tolerance) {
        List<Double> d = new ArrayList<>();
        for (Map.Entry<Long, Double> e : a.entrySet()) {
            Double r = ref.get(e.getKey());
            if (r != null) {
                // for a regression, a lower error is better: sign flipped so that "good" is positive as for accuracy
                d.add(regression ? -(e.getValue() / r - 1) : e.getValue() - r);
            }
        }
        int n = d.size();
        if (n < 2) {
            return new Paired(n, n == 1 ? d.get(0) : Double.NaN, Double.NaN, Double.NaN, Verdict.INCONCLUSIVE);
        }
        double mean = d.stream().mapToDouble(x -> x).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        double half = t975(n - 1) * Math.sqrt(ss / (n - 1) / n);
        double lo = mean - half;
        double hi = mean + half;
        Verdict v = n < 3 || Double.isNaN(mean) ? Verdict.INCONCLUSIVE : lo > -tolerance ? Verdict.HOLDS
                : hi < -tolerance ? Verdict.FAILS : Verdict.INCONCLUSIVE;
        return new Paired(n, mean, lo, hi, v);
    }

    /**
     * @param values metric per seed
     * @return {mean, standard deviation (n - 1), n}
     */
    static double[] meanSd(Map<Long, Double> values) {
        int n = values.size();
        double mean = values.values().stream().mapToDouble(x -> x).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : values.values()) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, n};
    }

    /**
     * @param workload a configuration id
     * @param accuracy its accuracy in [0, 1]
     * @return the standard error of a test accuracy on the realistic test set, in points
     */
    static double samplingError(String workload, double accuracy) {
        return 100 * Math.sqrt(accuracy * (1 - accuracy) / Workloads.realisticTestExamples(workload));
    }

    /**
     * The b0 row of a family on a configuration.
     *
     * @param runs     runs
     * @param workload configuration
     * @param family   one of {@link #B0_FAMILIES}
     * @return metric per seed for each b0 of {@link OptimizerGrid#B0} (empty maps where not run)
     */
    static List<TreeMap<Long, Double>> b0Row(List<PracticeRun> runs, String workload, String family) {
        List<TreeMap<Long, Double>> out = new ArrayList<>();
        for (double b : OptimizerGrid.B0) {
            TreeMap<Long, Double> m = bySeed(runs, workload, family, "b0", b);
            if (m.isEmpty() && OptimizerGrid.FAMILIES.contains(family) && b == OptimizerGrid.defaultB0(family)) {
                m = bySeed(runs, workload, family, "default", Double.NaN);
            }
            out.add(m);
        }
        return out;
    }

    /**
     * @param row a {@link #b0Row}
     * @return spread of the means over b0 (max - min); NaN unless every b0 ran; infinite when a b0's mean is not
     *         finite (a regression that diverged there)
     */
    static double spread(List<TreeMap<Long, Double>> row) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (TreeMap<Long, Double> m : row) {
            if (m.isEmpty()) {
                return Double.NaN;
            }
            double v = meanSd(m)[0];
            if (!Double.isFinite(v)) {
                // a regression whose runs diverged at this b0 (NaN or infinite test error)
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        return max - min;
    }

    /**
     * @param runs runs of the benchmark
     * @return configuration ids with at least one AdaLoss-family run, in {@link RealisticBenchmark#ORDER}
     */
    static List<String> workloads(List<PracticeRun> runs) {
        return RealisticBenchmark.ORDER.stream().filter(w -> runs.stream().anyMatch(r -> r.workload().equals(w)
                && OptimizerGrid.FAMILIES.contains(r.family()))).toList();
    }

    /**
     * The goals of issue 19 evaluated on the runs (a goal is left out where its runs are missing).
     *
     * @param runs runs of the benchmark
     * @return goal text to its paired comparison or spread evidence, in report order
     */
    public static List<Goal> goals(List<PracticeRun> runs) {
        List<Goal> out = new ArrayList<>();
        for (String w : workloads(runs)) {
            boolean reg = isRegression(runs, w);
            TreeMap<Long, Double> pub = bySeed(runs, w, "published", "published", Double.NaN);
            for (String f : OptimizerGrid.FAMILIES) {
                TreeMap<Long, Double> def = bySeed(runs, w, f, "default", Double.NaN);
                if (def.size() >= 3 && pub.size() >= 3) {
                    Paired p = paired(def, pub, reg, reg ? DROP_IN_RELATIVE : DROP_IN_POINTS);
                    out.add(new Goal(w, f + " at its defaults within " + (reg ? "10% relative error" : "2 points")
                            + " of the published updater", false, p.verdict(), p, reg, "the published updater",
                            Double.NaN, Double.NaN));
                }
            }
            TreeMap<Long, Double> def = bySeed(runs, w, "AdaLoss", "default", Double.NaN);
            TreeMap<Long, Double> rel = bySeed(runs, w, OptimizerGrid.ADALOSS_RELATIVE, "b0", 1.0);
            if (def.size() >= 3 && rel.size() >= 3) {
                Paired p = paired(rel, def, reg, reg ? DROP_IN_RELATIVE : DROP_IN_POINTS);
                out.add(new Goal(w, "loss-scale rule alpha = 1/l_0 (b0 = 1) within " + (reg ? "10% relative error"
                        : "2 points") + " of AdaLoss' default alpha = 1 (or better)", false, p.verdict(), p, reg,
                        "AdaLoss' default", Double.NaN, Double.NaN));
            }
            if (reg) {
                continue;
            }
            Map<String, Double> spreads = new LinkedHashMap<>();
            for (String f : B0_FAMILIES) {
                // a goal rests on at least 3 seeds in every b0 cell
                List<TreeMap<Long, Double>> row = b0Row(runs, w, f);
                spreads.put(f, row.stream().allMatch(m -> m.size() >= 3) ? spread(row) : Double.NaN);
            }
            for (String f : OptimizerGrid.FAMILIES) {
                double s = spreads.get(f);
                if (!Double.isNaN(s)) {
                    out.add(new Goal(w, f + ": every b0 in 1e-2..1e2 within 3 points of the best b0 (mean over seeds)",
                            false, s <= B0_POINTS ? Verdict.HOLDS : Verdict.FAILS, null, false, null, s, B0_POINTS));
                }
            }
            double ada = spreads.get("AdaLoss");
            double sgd = spreads.get(OptimizerGrid.SGD_CONSTANT);
            double agn = spreads.get("AdaGradNorm");
            if (!Double.isNaN(ada) && !Double.isNaN(sgd) && !Double.isNaN(agn)) {
                out.add(new Goal(w, "AdaLoss' spread over b0 smaller than SGD-Constant's and AdaGrad-Norm's (the paper)",
                        true, ada < sgd && ada < agn ? Verdict.HOLDS : Verdict.FAILS, null, false, null, ada,
                        Math.min(sgd, agn)));
            }
        }
        return out;
    }

    /**
     * One evaluated goal.
     *
     * @param workload configuration
     * @param text     the goal
     * @param paper    whether it is a claim of the paper (the AdaLoss paper's table) rather than a project goal
     * @param verdict  its verdict
     * @param paired   the paired comparison (null for a spread goal)
     * @param relative whether {@code paired} holds relative test-error changes (regressions), not accuracy points
     * @param reference what the paired comparison is against, in words (null for a spread goal)
     * @param value    the spread (points), NaN for a paired goal
     * @param bound    what the spread is compared with
     */
    public record Goal(String workload, String text, boolean paper, Verdict verdict, Paired paired, boolean relative,
                       String reference, double value, double bound) {

        /** @return the numbers in words */
        public String evidence() {
            if (paired == null) {
                return String.format(Locale.ROOT, "spread %.2f points against %.2f", value, bound);
            }
            if (relative) {
                // stored with "better" positive; shown as the change of the test error (positive = worse)
                return String.format(Locale.ROOT, "test error %+.1f%% against %s, 95%% CI [%+.1f%%, %+.1f%%], %d "
                        + "seeds", -100 * paired.mean(), reference, -100 * paired.hi(), -100 * paired.lo(),
                        paired.n());
            }
            return String.format(Locale.ROOT, "paired difference %+.2f points, 95%% CI [%+.2f, %+.2f], %d seeds",
                    paired.mean(), paired.lo(), paired.hi(), paired.n());
        }
    }

    /**
     * @param runs runs of the benchmark
     * @return the tables and goals as Markdown
     */
    public static String markdown(List<PracticeRun> runs) {
        StringBuilder sb = new StringBuilder("### Summary\n\n").append(markdownTable(SUMMARY_HEADER,
                summaryRows(runs))).append('\n');
        for (String w : workloads(runs)) {
            boolean reg = isRegression(runs, w);
            sb.append("### ").append(w).append("\n\n").append(caption(runs, w)).append("\n\n");
            sb.append(markdownTable(b0Header(), b0Rows(runs, w))).append('\n');
            List<String> contrast = new ArrayList<>();
            for (String f : List.of("Adam", "SGD")) {
                for (double lr : f.equals("Adam") ? OptimizerGrid.ADAM_LR : OptimizerGrid.SGD_LR) {
                    TreeMap<Long, Double> m = bySeed(runs, w, f, "lr", lr);
                    if (!m.isEmpty()) {
                        contrast.add(f + " " + OptimizerSpec.fmt(lr) + ": " + cell(m, reg));
                    }
                }
            }
            for (String f : OptimizerGrid.FAMILIES) {
                for (double mult : OptimizerGrid.ETA_MULTIPLES) {
                    TreeMap<Long, Double> m = bySeed(runs, w, f, "eta", mult);
                    if (!m.isEmpty()) {
                        contrast.add(f + " eta " + OptimizerSpec.fmt(mult) + "x: " + cell(m, reg));
                    }
                }
            }
            if (!contrast.isEmpty()) {
                sb.append("Contrast (mean ± std over seeds): ").append(String.join("; ", contrast)).append(".\n\n");
            }
        }
        sb.append("### Goals\n\n").append(markdownTable(GOAL_HEADER, goalRows(runs)));
        long crashed = runs.stream().filter(PracticeRun::crashed).count();
        Map<String, Long> diverged = new TreeMap<>();
        runs.stream().filter(r -> "diverged".equals(r.status()))
                .forEach(r -> diverged.merge(r.family(), 1L, Long::sum));
        sb.append(String.format(Locale.ROOT, "%n%d runs, %d ended in an exception; diverged (a NaN or infinite loss "
                + "without an exception) by family: %s; %d rejected steps in all.%n", runs.size(), crashed,
                diverged.isEmpty() ? "none" : diverged.toString(),
                runs.stream().mapToLong(PracticeRun::recoveries).sum()));
        return sb.toString();
    }

    /**
     * @param runs runs
     * @return {@link #markdown} (plain text on the console)
     */
    public static String text(List<PracticeRun> runs) {
        return markdown(runs);
    }

    /** Header of {@link #summaryRows}. */
    public static final List<String> SUMMARY_HEADER = List.of("configuration", "seeds", "published",
            "AdaLoss default", "AdaLoss - published [95% CI]", "AdaGradNorm default", "AdamLoss default",
            "spread over b0: AdaLoss / AdaGradNorm / SGD-Constant");

    /**
     * @param runs runs
     * @return one row per configuration: the published updater and each family at its defaults (mean ± std), the
     *         paired difference of AdaLoss (points, or the relative change of the test error), and the spreads
     */
    public static List<List<String>> summaryRows(List<PracticeRun> runs) {
        List<List<String>> out = new ArrayList<>();
        for (String w : workloads(runs)) {
            boolean reg = isRegression(runs, w);
            TreeMap<Long, Double> pub = bySeed(runs, w, "published", "published", Double.NaN);
            List<String> row = new ArrayList<>(List.of(w, String.valueOf(pub.size()), pub.isEmpty() ? "-"
                    : cell(pub, reg)));
            TreeMap<Long, Double> ada = bySeed(runs, w, "AdaLoss", "default", Double.NaN);
            if (ada.isEmpty()) {
                continue;
            }
            row.add(cell(ada, reg));
            Paired p = paired(ada, pub, reg, reg ? DROP_IN_RELATIVE : DROP_IN_POINTS);
            row.add(p.n() < 2 ? "-" : reg
                    ? String.format(Locale.ROOT, "error %+.0f%% [%+.0f%%, %+.0f%%]", -100 * p.mean(), -100 * p.hi(),
                            -100 * p.lo())
                    : String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", p.mean(), p.lo(), p.hi()));
            for (String f : List.of("AdaGradNorm", "AdamLoss")) {
                TreeMap<Long, Double> m = bySeed(runs, w, f, "default", Double.NaN);
                row.add(m.isEmpty() ? "-" : cell(m, reg));
            }
            List<String> spreads = new ArrayList<>();
            for (String f : List.of("AdaLoss", "AdaGradNorm", OptimizerGrid.SGD_CONSTANT)) {
                double sp = spread(b0Row(runs, w, f));
                spreads.add(spreadCell(sp, reg));
            }
            row.add(String.join(" / ", spreads));
            out.add(row);
        }
        return out;
    }

    /**
     * The default-choosing table of issue 19, item 4, on runs of tuning seeds (disjoint from the reported ones): for
     * each family, every setting of its b0 table and eta multiples; per configuration its regret, the shortfall of its
     * mean over seeds from the family's best setting there, in units of the drop-in tolerance (2 points of accuracy,
     * or 10% of test error; a diverged mean counts as infinite); the setting with the smallest worst regret is the
     * evidence-based default.
     *
     * @param runs runs of the tuning seeds
     * @return Markdown: one table per family that ran (settings that never ran left out), and a sentence naming its
     *         minimax setting among those that ran on every configuration and the current default's worst regret
     */
    public static String tuning(List<PracticeRun> runs) {
        StringBuilder sb = new StringBuilder();
        for (TuningTable t : tuningTables(runs)) {
            sb.append("#### ").append(t.family()).append("\n\n").append(markdownTable(t.header(), t.rows()))
                    .append('\n').append(t.finding()).append("\n\n");
        }
        return sb.toString();
    }

    /**
     * The regret table of one family on the tuning seeds ({@link #tuning}).
     *
     * @param family  the family
     * @param header  "setting", the configurations, "worst regret"
     * @param rows    one row per setting that ran
     * @param finding the sentence naming the minimax setting and the current default's worst regret (empty when no
     *                setting ran on every configuration)
     */
    public record TuningTable(String family, List<String> header, List<List<String>> rows, String finding) {
    }

    /**
     * @param runs runs of the tuning seeds
     * @return {@link #tuning}'s tables, one per family that ran
     */
    public static List<TuningTable> tuningTables(List<PracticeRun> runs) {
        List<TuningTable> out = new ArrayList<>();
        List<String> ws = workloads(runs);
        for (String f : OptimizerGrid.FAMILIES) {
            record Setting(String parameter, double value, String label) {
            }
            List<Setting> settings = new ArrayList<>();
            settings.add(new Setting("default", Double.NaN, "eta 1x, b0 "
                    + OptimizerSpec.fmt(OptimizerGrid.defaultB0(f))));
            for (double m : OptimizerGrid.ETA_MULTIPLES) {
                settings.add(new Setting("eta", m, "eta " + OptimizerSpec.fmt(m) + "x"));
            }
            for (double b : OptimizerGrid.B0) {
                if (b != OptimizerGrid.defaultB0(f)) {
                    settings.add(new Setting("b0", b, "b0 " + OptimizerSpec.fmt(b)));
                }
            }
            double[][] mean = new double[settings.size()][ws.size()];
            boolean[][] ran = new boolean[settings.size()][ws.size()];
            for (int i = 0; i < settings.size(); i++) {
                for (int j = 0; j < ws.size(); j++) {
                    TreeMap<Long, Double> m = bySeed(runs, ws.get(j), f, settings.get(i).parameter(),
                            settings.get(i).value());
                    ran[i][j] = !m.isEmpty();
                    mean[i][j] = m.isEmpty() ? Double.NaN : meanSd(m)[0];
                }
            }
            List<String> header = new ArrayList<>(List.of(f + " setting"));
            header.addAll(ws);
            header.add("worst regret");
            List<List<String>> rows = new ArrayList<>();
            double bestWorst = Double.POSITIVE_INFINITY;
            String best = null;
            double defaultWorst = Double.NaN;
            for (int i = 0; i < settings.size(); i++) {
                boolean any = false;
                for (boolean r : ran[i]) {
                    any |= r;
                }
                if (!any) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(settings.get(i).label()));
                double worst = 0;
                boolean complete = true;
                for (int j = 0; j < ws.size(); j++) {
                    boolean reg = isRegression(runs, ws.get(j));
                    double top = reg ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                    for (double[] m : mean) {
                        if (!Double.isNaN(m[j])) {
                            top = reg ? Math.min(top, m[j]) : Math.max(top, m[j]);
                        }
                    }
                    double v = mean[i][j];
                    if (!ran[i][j] || Double.isInfinite(top)) {
                        row.add("-");
                        complete = false;
                        continue;
                    }
                    double regret = Double.isNaN(v) ? Double.POSITIVE_INFINITY
                            : reg ? (v / top - 1) / DROP_IN_RELATIVE : (top - v) / DROP_IN_POINTS;
                    worst = Math.max(worst, regret);
                    row.add(Double.isInfinite(regret) ? "diverged" : String.format(Locale.ROOT, "%.2f", regret));
                }
                row.add(complete ? (Double.isInfinite(worst) ? "inf" : String.format(Locale.ROOT, "%.2f", worst))
                        : "-");
                rows.add(row);
                if (complete && worst < bestWorst) {
                    bestWorst = worst;
                    best = settings.get(i).label();
                }
                if (i == 0 && complete) {
                    defaultWorst = worst;
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            out.add(new TuningTable(f, header, rows, best == null ? "" : String.format(Locale.ROOT, "%s: smallest "
                    + "worst regret %.2f at %s; the current default's worst regret is %.2f.", f, bestWorst, best,
                    defaultWorst)));
        }
        return out;
    }

    /** Header of {@link #goalRows}. */
    public static final List<String> GOAL_HEADER = List.of("configuration", "goal", "verdict", "evidence");

    /**
     * @param runs runs
     * @return one row per goal of {@link #goals}
     */
    public static List<List<String>> goalRows(List<PracticeRun> runs) {
        List<List<String>> out = new ArrayList<>();
        for (Goal g : goals(runs)) {
            out.add(List.of(g.workload(), g.text(), g.verdict().toString(), g.evidence()));
        }
        return out;
    }

    /** @return header of {@link #b0Rows}: family, each b0, spread */
    public static List<String> b0Header() {
        List<String> h = new ArrayList<>(List.of("b0"));
        for (double b : OptimizerGrid.B0) {
            h.add(OptimizerSpec.fmt(b));
        }
        h.add("spread");
        return h;
    }

    /**
     * @param runs runs
     * @param w    configuration
     * @return one row per family of {@link #B0_FAMILIES} that ran: mean ± std over seeds per b0, and the spread
     */
    public static List<List<String>> b0Rows(List<PracticeRun> runs, String w) {
        boolean reg = isRegression(runs, w);
        List<List<String>> out = new ArrayList<>();
        for (String f : B0_FAMILIES) {
            List<TreeMap<Long, Double>> row = b0Row(runs, w, f);
            if (row.stream().allMatch(Map::isEmpty)) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(f));
            for (TreeMap<Long, Double> m : row) {
                cells.add(m.isEmpty() ? "-" : cell(m, reg));
            }
            double sp = spread(row);
            cells.add(spreadCell(sp, reg));
            out.add(cells);
        }
        return out;
    }

    /**
     * @param runs runs
     * @param w    configuration
     * @return the sentence above its table: published updater, metric, sampling error
     */
    public static String caption(List<PracticeRun> runs, String w) {
        boolean reg = isRegression(runs, w);
        TreeMap<Long, Double> pub = bySeed(runs, w, "published", "published", Double.NaN);
        double[] p = meanSd(pub);
        return String.format(Locale.ROOT, "%s: published updater %s over %d seeds. %s", w,
                pub.isEmpty() ? "-" : cell(pub, reg), pub.size(), reg
                        ? "Metric: test RMSE / std of the test targets (lower is better), mean ± std over seeds."
                        : String.format(Locale.ROOT, "Metric: test accuracy (%%), mean ± std over seeds; sampling "
                                + "error of one run's accuracy on the %d test examples: %.2f points.",
                        Workloads.realisticTestExamples(w), samplingError(w, p[0] / 100)));
    }

    private static String spreadCell(double sp, boolean reg) {
        return Double.isNaN(sp) ? "-" : Double.isInfinite(sp) ? "diverged" : String.format(Locale.ROOT,
                reg ? "%.3f" : "%.1f", sp);
    }

    static String markdownTable(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        sb.append("---|".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return sb.toString();
    }

    private static boolean isRegression(List<PracticeRun> runs, String w) {
        return runs.stream().filter(r -> r.workload().equals(w)).findFirst().orElseThrow().regression();
    }

    /**
     * @param m   metric per seed
     * @param reg true for a regression (errors; a diverged run has a NaN or infinite error)
     * @return "mean ± std" (over the finite values; "(k diverged)" when some are not), with the seed count when
     *         below 5; "diverged" when none is finite
     */
    static String cell(Map<Long, Double> m, boolean reg) {
        Map<Long, Double> finite = new TreeMap<>();
        m.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                finite.put(k, v);
            }
        });
        int bad = m.size() - finite.size();
        if (finite.isEmpty()) {
            return "diverged" + (m.size() < 5 ? " (" + m.size() + ")" : "");
        }
        double[] s = meanSd(finite);
        String f = reg ? "%.3f ± %.3f" : "%.1f ± %.1f";
        String v = String.format(Locale.ROOT, f, s[0], s[1]);
        if (bad > 0) {
            return v + " (" + bad + " of " + m.size() + " diverged)";
        }
        return m.size() < 5 ? v + " (" + m.size() + ")" : v;
    }
}
