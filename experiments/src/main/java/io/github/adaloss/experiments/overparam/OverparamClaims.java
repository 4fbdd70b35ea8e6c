package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The claims of Kawaguchi and Huang, checked on the numbers of one {@link OverparamExperiment} run; every one is a
 * paper claim ({@link Claim#paper}) and can fail on these numbers.
 */
public final class OverparamClaims {

    /** At and above this P/n every run of the "ratio" part must reach the loss threshold within its cap. */
    public static final double LINEAR_RATIO = 10;
    /** The log-log slope of the P needed against n may not exceed this ("linear in n", with grid resolution). */
    public static final double SLOPE_MAX = 1.25;
    /** Natural-label test accuracy must beat random-label test accuracy by this much (mean over P/n >= 10). */
    public static final double ACCURACY_GAP = 0.3;

    private OverparamClaims() {
    }

    /** @return the five claims: natural fitted, random fitted, P needed linear in n, generalization gap, chance */
    public static List<Claim> evaluate(OverparamExperiment.Result r) {
        List<Claim> claims = new ArrayList<>();
        claims.add(fitted(r, OverparamExperiment.NATURAL));
        claims.add(fitted(r, OverparamExperiment.RANDOM));
        claims.add(scaling(r));
        claims.add(gap(r));
        claims.add(chance(r));
        return claims;
    }

    /**
     * @return "every run with these labels at P/n &gt;= {@link #LINEAR_RATIO} (ratio part; natural: also the scaling
     *         part's reference runs) reaches the threshold within its cap", with iterations-to-threshold per P/n
     */
    public static Claim fitted(OverparamExperiment.Result r, String labels) {
        OverparamExperiment.Config c = r.config();
        List<OverparamExperiment.Run> in = r.runs().stream().filter(x -> x.labels().equals(labels)
                && (x.part().equals(OverparamExperiment.RATIO) ? x.ratio() >= LINEAR_RATIO
                : labels.equals(OverparamExperiment.NATURAL))).toList();
        Map<String, Object> ev = new LinkedHashMap<>();
        for (Map.Entry<String, List<OverparamExperiment.Run>> e : groups(r, OverparamExperiment.RATIO, labels)
                .entrySet()) {
            ev.put(e.getKey(), summary(e.getValue()));
        }
        if (labels.equals(OverparamExperiment.NATURAL)) {
            for (Map.Entry<String, List<OverparamExperiment.Run>> e : groups(r, OverparamExperiment.SCALING, labels)
                    .entrySet()) {
                ev.put(e.getKey(), summary(e.getValue()));
            }
        }
        long reached = in.stream().filter(OverparamExperiment.Run::reached).count();
        ev.put("reached", reached + " of " + in.size());
        String cap = labels.equals(OverparamExperiment.NATURAL) ? String.format(Locale.ROOT, "%d iterations "
                + "(ratio part; scaling part %d)", c.cap(), c.scalingCap())
                : String.format(Locale.ROOT, "%.0fx the median natural-label time at the same width, at most %d",
                c.capFactor(), c.cap());
        return Claim.paper(String.format(Locale.ROOT, "gradient descent (0.9 x each run's stability edge) drives the "
                + "%s-label training loss below %.0e of its start within the cap (%s) for every depth-3 MLP with "
                + "P/n >= %.0f, every seed%s", labels, c.threshold(), cap, LINEAR_RATIO,
                labels.equals(OverparamExperiment.RANDOM) ? " and label draw" : ""),
                !in.isEmpty() && reached == in.size(), ev);
    }

    /**
     * The scaling part: P*(n), the smallest P of the grid from which every random-label run (at it and at every
     * larger P) reaches the threshold within the cap, and the least-squares slope of log P* against log n.
     *
     * @return holds if P* is found for every n and the slope is at most {@link #SLOPE_MAX}
     */
    public static Claim scaling(OverparamExperiment.Result r) {
        OverparamExperiment.Config c = r.config();
        TreeMap<Integer, Double> needed = needed(r);
        Map<String, Object> ev = new LinkedHashMap<>();
        String text = String.format(Locale.ROOT, "the number of parameters P needed to fit random labels grows at "
                + "most linearly with n: over nested subsets n = %s (Fashion-MNIST 4x4, k = 10), the log-log slope of "
                + "P*(n) (smallest grid P from which every seed reaches %.0e of the start within %d iterations) is at "
                + "most %.2f", java.util.Arrays.toString(c.sizes()), c.threshold(), c.scalingCap(), SLOPE_MAX);
        if (needed.isEmpty()) {
            ev.put("detail", "not run: the Fashion-MNIST files are missing (see the fashion-mnist section)");
            return Claim.paperCaveat(text + " (not run)", ev);
        }
        List<Integer> ks = r.runs().stream().filter(x -> x.part().equals(OverparamExperiment.SCALING))
                .map(OverparamExperiment.Run::outputs).distinct().toList();
        int k = ks.get(0);
        Map<String, Object> perN = new LinkedHashMap<>();
        needed.forEach((n, p) -> perN.put("n=" + n, Double.isNaN(p) ? "no grid P fits"
                : String.format(Locale.ROOT, "P* = %.0f (P*/n = %.1f, P*/(nk) = %.2f)", p, p / n, p / (n * k))));
        ev.put("P needed", perN);
        for (Map.Entry<String, List<OverparamExperiment.Run>> e : groups(r, OverparamExperiment.SCALING,
                OverparamExperiment.RANDOM).entrySet()) {
            ev.put(e.getKey(), summary(e.getValue()));
        }
        boolean all = needed.values().stream().noneMatch(p -> Double.isNaN(p));
        double slope = slope(needed);
        double factor = 1;
        double[] m = c.multiples().clone();
        java.util.Arrays.sort(m);
        for (int i = 1; i < m.length; i++) {
            factor = Math.max(factor, m[i] / m[i - 1]);
        }
        TreeMap<Integer, Double> times = timesAtLargestP(r);
        Map<String, Object> t = new LinkedHashMap<>();
        times.forEach((n, v) -> t.put("n=" + n, Double.isNaN(v) ? "not every seed reached" : v));
        ev.put("median iterations at the largest grid P/(nk) (a cap binding at large n raises P* there)", t);
        ev.put("slope of those iterations against n", slope(times));
        ev.put("slope", slope);
        ev.put("slope resolution", Math.log(factor) / Math.log((double) needed.lastKey() / needed.firstKey()));
        return Claim.paper(text, all && needed.size() >= 2 && slope <= SLOPE_MAX, ev);
    }

    /** @return per n of the scaling part, P* (NaN if no grid P is fitted by every seed from it on) */
    public static TreeMap<Integer, Double> needed(OverparamExperiment.Result r) {
        TreeMap<Integer, Double> out = new TreeMap<>();
        Map<Integer, List<OverparamExperiment.Run>> byN = r.runs().stream()
                .filter(x -> x.part().equals(OverparamExperiment.SCALING)
                        && x.labels().equals(OverparamExperiment.RANDOM))
                .collect(Collectors.groupingBy(OverparamExperiment.Run::samples, TreeMap::new, Collectors.toList()));
        byN.forEach((n, runs) -> {
            TreeMap<Long, List<OverparamExperiment.Run>> byP = runs.stream().collect(Collectors.groupingBy(
                    OverparamExperiment.Run::parameters, TreeMap::new, Collectors.toList()));
            double p = Double.NaN;
            for (Map.Entry<Long, List<OverparamExperiment.Run>> e : byP.descendingMap().entrySet()) {
                if (e.getValue().stream().allMatch(OverparamExperiment.Run::reached)) {
                    p = e.getKey();
                } else {
                    break;
                }
            }
            out.put(n, p);
        });
        return out;
    }

    /** @return per n of the scaling part, the median random-label iterations at its largest P (NaN if censored) */
    public static TreeMap<Integer, Double> timesAtLargestP(OverparamExperiment.Result r) {
        TreeMap<Integer, Double> out = new TreeMap<>();
        r.runs().stream().filter(x -> x.part().equals(OverparamExperiment.SCALING)
                        && x.labels().equals(OverparamExperiment.RANDOM))
                .collect(Collectors.groupingBy(OverparamExperiment.Run::samples, TreeMap::new, Collectors.toList()))
                .forEach((n, runs) -> {
                    long top = runs.stream().mapToLong(OverparamExperiment.Run::parameters).max().orElseThrow();
                    out.put(n, OverparamExperiment.medianIterations(runs.stream()
                            .filter(x -> x.parameters() == top).toList()));
                });
        return out;
    }

    /** @return the least-squares slope of log P against log n over the finite entries, NaN with fewer than 2 */
    public static double slope(Map<Integer, Double> needed) {
        List<double[]> pts = needed.entrySet().stream().filter(e -> !Double.isNaN(e.getValue()))
                .map(e -> new double[] {Math.log(e.getKey()), Math.log(e.getValue())}).toList();
        if (pts.size() < 2) {
            return Double.NaN;
        }
        double mx = pts.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = pts.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (double[] p : pts) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxy / sxx;
    }

    /** @return natural minus random test accuracy (ratio part, P/n &gt;= 10) is at least {@link #ACCURACY_GAP} */
    public static Claim gap(OverparamExperiment.Result r) {
        Map<String, Object> ev = new LinkedHashMap<>();
        List<String> sets = datasets(r, OverparamExperiment.RATIO);
        boolean holds = !sets.isEmpty();
        for (String dataset : sets) {
            double nat = meanTest(r, dataset, OverparamExperiment.NATURAL);
            double rnd = meanTest(r, dataset, OverparamExperiment.RANDOM);
            ev.put(dataset, String.format(Locale.ROOT, "natural %.3f, random %.3f", nat, rnd));
            holds &= nat - rnd >= ACCURACY_GAP;
        }
        return Claim.paper(String.format(Locale.ROOT, "natural-label test accuracy beats random-label test accuracy "
                + "by at least %.1f (mean over the runs at P/n >= %.0f)", ACCURACY_GAP, LINEAR_RATIO), holds, ev);
    }

    /**
     * Random-label test accuracy against chance 1/k: per label draw the mean test accuracy of that draw's runs (ratio
     * part at P/n &gt;= 10; scaling part, every run that reached the threshold), then the mean and standard deviation
     * over draws; holds if, on every data set, 1/k lies within the mean +- t(0.975, draws - 1) x SD / sqrt(draws).
     */
    public static Claim chance(OverparamExperiment.Result r) {
        Map<String, Object> ev = new LinkedHashMap<>();
        boolean holds = true;
        int sets = 0;
        for (String part : List.of(OverparamExperiment.RATIO, OverparamExperiment.SCALING)) {
            for (String dataset : datasets(r, part)) {
                Map<Integer, List<OverparamExperiment.Run>> byDraw = r.runs().stream()
                        .filter(x -> x.part().equals(part) && x.dataset().equals(dataset)
                                && x.labels().equals(OverparamExperiment.RANDOM)
                                && (part.equals(OverparamExperiment.RATIO) ? x.ratio() >= LINEAR_RATIO : x.reached()))
                        .collect(Collectors.groupingBy(OverparamExperiment.Run::draw, TreeMap::new,
                                Collectors.toList()));
                if (byDraw.size() < 2) {
                    continue;
                }
                double[] means = byDraw.values().stream().mapToDouble(l -> l.stream()
                        .mapToDouble(OverparamExperiment.Run::testAccuracy).average().orElseThrow()).toArray();
                int k = byDraw.values().iterator().next().get(0).outputs();
                double mean = java.util.Arrays.stream(means).average().orElseThrow();
                double sd = Math.sqrt(java.util.Arrays.stream(means).map(v -> (v - mean) * (v - mean)).sum()
                        / (means.length - 1));
                double half = tQuantile(means.length - 1) * sd / Math.sqrt(means.length);
                boolean ok = Math.abs(mean - 1.0 / k) <= half;
                holds &= ok;
                sets++;
                ev.put(dataset + " (" + part + ")", String.format(Locale.ROOT, "per draw %s; mean %.3f +- %.3f "
                        + "(95%%, %d draws) vs chance %.3f: %s", java.util.Arrays.toString(java.util.Arrays.stream(means)
                        .map(v -> Math.round(v * 1000) / 1000.0).toArray()), mean, half, means.length, 1.0 / k,
                        ok ? "consistent" : "not consistent"));
            }
        }
        return Claim.paper("the test accuracy of networks trained on random labels is chance 1/k: over the label "
                + "draws, 1/k lies within the 95% interval of the mean test accuracy, on every data set",
                holds && sets > 0, ev);
    }

    /** @return the two-sided 95% quantile of Student's t with the given degrees of freedom (1.96 above 30) */
    static double tQuantile(int dof) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};
        return dof <= 0 ? Double.NaN : dof <= t.length ? t[dof - 1] : dof <= 30 ? 2.1 : 1.96;
    }

    private static List<String> datasets(OverparamExperiment.Result r, String part) {
        return r.runs().stream().filter(x -> x.part().equals(part)).map(OverparamExperiment.Run::dataset)
                .distinct().toList();
    }

    private static double meanTest(OverparamExperiment.Result r, String dataset, String labels) {
        return r.runs().stream().filter(x -> x.part().equals(OverparamExperiment.RATIO)
                && x.dataset().equals(dataset) && x.labels().equals(labels) && x.ratio() >= LINEAR_RATIO)
                .mapToDouble(OverparamExperiment.Run::testAccuracy).average().orElse(Double.NaN);
    }

    /**
     * @return the runs of one part and labels grouped by "dataset n=.. P/n=.." in the order data set, n, P
     */
    static Map<String, List<OverparamExperiment.Run>> groups(OverparamExperiment.Result r, String part,
                                                             String labels) {
        Map<String, List<OverparamExperiment.Run>> out = new LinkedHashMap<>();
        r.runs().stream().filter(x -> x.part().equals(part) && x.labels().equals(labels))
                .sorted(java.util.Comparator.comparing(OverparamExperiment.Run::dataset)
                        .thenComparingInt(OverparamExperiment.Run::samples)
                        .thenComparingLong(OverparamExperiment.Run::parameters))
                .forEach(x -> out.computeIfAbsent(String.format(Locale.ROOT, "%s n=%d P/n=%.1f",
                        x.dataset(), x.samples(), x.ratio()), key -> new ArrayList<>()).add(x));
        return out;
    }

    /** @return "reached a/b, iterations median [min-max], cap c" or the final relative losses of the others */
    static String summary(List<OverparamExperiment.Run> runs) {
        List<OverparamExperiment.Run> hit = runs.stream().filter(OverparamExperiment.Run::reached).toList();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "reached %d/%d", hit.size(), runs.size()));
        if (!hit.isEmpty()) {
            int[] t = hit.stream().mapToInt(OverparamExperiment.Run::iterations).sorted().toArray();
            s.append(String.format(Locale.ROOT, ", iterations median %d [%d-%d]", t[t.length / 2], t[0],
                    t[t.length - 1]));
        }
        if (hit.size() < runs.size()) {
            s.append(", not reached: L/L0 ").append(runs.stream().filter(x -> !x.reached())
                    .map(x -> String.format(Locale.ROOT, "%.2e", x.finalRelative())).collect(Collectors.joining(" ")));
        }
        int cap = runs.stream().mapToInt(OverparamExperiment.Run::cap).max().orElse(0);
        return s.append(String.format(Locale.ROOT, ", cap %d", cap)).toString();
    }
}
