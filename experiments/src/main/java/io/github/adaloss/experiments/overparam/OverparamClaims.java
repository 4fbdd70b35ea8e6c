package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The claims of Kawaguchi and Huang, checked on the numbers of one {@link OverparamExperiment} run. */
public final class OverparamClaims {

    /** At and above this P/n every natural-label run must reach the loss threshold. */
    public static final double LINEAR_RATIO = 10;
    /**
     * Below this P/n no random-label run may reach the threshold: with fewer parameters than examples a network
     * cannot interpolate arbitrary labels (a counting bound, not a property of gradient descent).
     */
    public static final double CAPACITY_RATIO = 1;
    /** Natural-label test accuracy must beat random-label test accuracy by this much (mean over P/n >= 1). */
    public static final double ACCURACY_GAP = 0.3;

    private OverparamClaims() {
    }

    /**
     * @return three claims: natural-label loss near zero above linear size and not far below; the transition in P/n
     *         for natural and for random labels ({@link #transitions}); natural-label test accuracy above
     *         random-label test accuracy
     */
    public static List<Claim> evaluate(OverparamExperiment.Result r) {
        List<Claim> claims = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        StringBuilder evidence = new StringBuilder();
        for (OverparamExperiment.Run run : r.runs()) {
            if (run.labels().equals("natural") && run.ratio() >= LINEAR_RATIO) {
                if (run.converged() < 0) {
                    failures.add(describe(run));
                }
                evidence.append(evidence.length() == 0 ? "" : "; ").append(describe(run));
            }
        }
        claims.add(Claim.paper(String.format(Locale.ROOT, "gradient descent drives the natural-label training "
                + "loss below %.0e of its start for every depth-3 MLP with P/n >= %.0f", r.config().threshold(),
                LINEAR_RATIO), failures.isEmpty() && evidence.length() > 0,
                failures.isEmpty() ? evidence.toString() : "fails: " + failures));
        claims.add(transitions(r));
        double natural = meanTestAccuracy(r, "natural");
        double random = meanTestAccuracy(r, "random");
        claims.add(Claim.paper(String.format(Locale.ROOT, "natural-label test accuracy beats random-label test "
                + "accuracy by at least %.1f (mean over P/n >= 1)", ACCURACY_GAP), natural - random >= ACCURACY_GAP,
                String.format(Locale.ROOT, "natural %.3f, random %.3f", natural, random)));
        return claims;
    }

    /**
     * Where the transition lies: for every data set and both label kinds, the smallest P/n of the grid from which
     * every run (every seed, every larger P/n) reaches the loss threshold. The claim, on every data set: random labels
     * are fitted at every P/n &gt;= {@link #LINEAR_RATIO} (Kawaguchi and Huang: label-independent) and at no P/n &lt;
     * {@link #CAPACITY_RATIO} (counting bound), and natural labels are fitted from a P/n no larger than random labels.
     * The evidence gives, per P/n, the runs reaching the threshold, the mean final relative loss, the mean train
     * accuracy and the mean test accuracy, so what happens below the transition is stated in numbers.
     *
     * @param r the sweep
     * @return the claim
     */
    public static Claim transitions(OverparamExperiment.Result r) {
        StringBuilder ev = new StringBuilder();
        boolean holds = !r.runs().isEmpty();
        for (String dataset : r.runs().stream().map(OverparamExperiment.Run::dataset).distinct().toList()) {
            double[] t = new double[2];
            for (int l = 0; l < 2; l++) {
                String labels = l == 0 ? "natural" : "random";
                TreeMap<Double, List<OverparamExperiment.Run>> byRatio = new TreeMap<>();
                r.runs().stream().filter(x -> x.dataset().equals(dataset) && x.labels().equals(labels))
                        .forEach(x -> byRatio.computeIfAbsent(x.ratio(), k -> new ArrayList<>()).add(x));
                t[l] = transitionRatio(byRatio);
                if (l == 1) {
                    holds &= t[1] <= LINEAR_RATIO && byRatio.headMap(CAPACITY_RATIO).values().stream()
                            .flatMap(List::stream).noneMatch(x -> x.converged() >= 0);
                }
                ev.append(ev.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s, %s labels: %s (",
                        dataset, labels, Double.isNaN(t[l]) ? "no P/n of the grid reaches it"
                                : String.format(Locale.ROOT, "every run reaches it from P/n = %.2f", t[l])));
                boolean first = true;
                for (Map.Entry<Double, List<OverparamExperiment.Run>> e : byRatio.entrySet()) {
                    List<OverparamExperiment.Run> at = e.getValue();
                    ev.append(first ? "" : ", ").append(String.format(Locale.ROOT,
                            "P/n=%.2f: %d/%d reached, loss %.2e, train %.2f, test %.2f", e.getKey(),
                            at.stream().filter(x -> x.converged() >= 0).count(), at.size(),
                            at.stream().mapToDouble(OverparamExperiment.Run::relativeFinalLoss).average().orElse(0),
                            at.stream().mapToDouble(OverparamExperiment.Run::trainAccuracy).average().orElse(0),
                            at.stream().mapToDouble(OverparamExperiment.Run::testAccuracy).average().orElse(0)));
                    first = false;
                }
                ev.append(')');
            }
            holds &= !Double.isNaN(t[0]) && t[0] <= t[1];
        }
        return Claim.paper(String.format(Locale.ROOT, "with distinct inputs, random labels are fitted (training "
                + "loss below %.0e of its start) at every P/n >= %.0f and at no P/n < %.0f, and natural labels from a "
                + "P/n no larger than random labels (transitions, fit and test accuracy per P/n in the evidence)",
                r.config().threshold(), LINEAR_RATIO, CAPACITY_RATIO), holds, ev.toString());
    }

    /** @return the smallest ratio from which every run at it and at every larger ratio converged, NaN if none */
    static double transitionRatio(TreeMap<Double, List<OverparamExperiment.Run>> byRatio) {
        double t = Double.NaN;
        for (Map.Entry<Double, List<OverparamExperiment.Run>> e : byRatio.descendingMap().entrySet()) {
            if (e.getValue().stream().allMatch(x -> x.converged() >= 0)) {
                t = e.getKey();
            } else {
                break;
            }
        }
        return t;
    }

    private static String describe(OverparamExperiment.Run run) {
        return String.format(Locale.ROOT, "%s P/n=%.2f: %s", run.dataset(), run.ratio(),
                run.converged() >= 0 ? "reached at " + run.converged() : String.format(Locale.ROOT,
                        "not reached (%.2e)", run.relativeFinalLoss()));
    }

    /** @return mean test accuracy of the runs with the given labels and P/n >= 1, NaN if none */
    public static double meanTestAccuracy(OverparamExperiment.Result r, String labels) {
        return r.runs().stream().filter(x -> x.labels().equals(labels) && x.ratio() >= 1)
                .mapToDouble(OverparamExperiment.Run::testAccuracy).average().orElse(Double.NaN);
    }
}
