package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The claims of Kawaguchi and Huang, checked on the numbers of one {@link OverparamExperiment} run. */
public final class OverparamClaims {

    /** At and above this P/n every natural-label run must reach the loss threshold. */
    public static final double LINEAR_RATIO = 10;
    /** At and below this P/n no natural-label run may reach it. */
    public static final double SMALL_RATIO = 0.5;
    /** Natural-label test accuracy must beat random-label test accuracy by this much (mean over P/n >= 1). */
    public static final double ACCURACY_GAP = 0.3;

    private OverparamClaims() {
    }

    /**
     * @return three claims: natural-label loss near zero above linear size and not far below; random labels fitted
     *         above linear size too (reported honestly: with full-batch GD in the default budget it does not hold);
     *         natural-label test accuracy above random-label test accuracy
     */
    public static List<Claim> evaluate(OverparamExperiment.Result r) {
        List<Claim> claims = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        StringBuilder evidence = new StringBuilder();
        for (OverparamExperiment.Run run : r.runs()) {
            if (!run.labels().equals("natural")) {
                continue;
            }
            boolean reached = run.converged() >= 0;
            if (run.ratio() >= LINEAR_RATIO && !reached || run.ratio() <= SMALL_RATIO && reached) {
                failures.add(describe(run));
            }
            if (run.ratio() >= LINEAR_RATIO || run.ratio() <= SMALL_RATIO) {
                evidence.append(evidence.length() == 0 ? "" : "; ").append(describe(run));
            }
        }
        claims.add(new Claim(String.format(Locale.ROOT, "gradient descent drives the natural-label training "
                + "loss below %.0e of its start for every depth-3 MLP with P/n >= %.0f, and for none with P/n <= %.1f",
                r.config().threshold(), LINEAR_RATIO, SMALL_RATIO), failures.isEmpty() && evidence.length() > 0,
                failures.isEmpty() ? evidence.toString() : "fails: " + failures));
        List<String> randomRuns = new ArrayList<>();
        boolean randomFitted = true;
        for (OverparamExperiment.Run run : r.runs()) {
            if (run.labels().equals("random") && run.ratio() >= LINEAR_RATIO) {
                randomFitted &= run.converged() >= 0;
                randomRuns.add(describe(run) + String.format(Locale.ROOT, ", train accuracy %.2f", run.trainAccuracy()));
            }
        }
        claims.add(new Claim(String.format(Locale.ROOT, "random labels too: the training loss falls below %.0e "
                + "of its start for every P/n >= %.0f within the iteration budget (the theory is label-independent;"
                + " Iris holds duplicated inputs, which put a floor near 1e-2 under random labels)",
                r.config().threshold(), LINEAR_RATIO), randomFitted && !randomRuns.isEmpty(), String.join("; ", randomRuns)));
        double natural = meanTestAccuracy(r, "natural");
        double random = meanTestAccuracy(r, "random");
        claims.add(new Claim(String.format(Locale.ROOT, "natural-label test accuracy beats random-label test "
                + "accuracy by at least %.1f (mean over P/n >= 1)", ACCURACY_GAP), natural - random >= ACCURACY_GAP,
                String.format(Locale.ROOT, "natural %.3f, random %.3f", natural, random)));
        return claims;
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
