package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AdaLoss paper's claims on the synthetic problem (robustness, NTK, momentum), evaluated on the numbers of one
 * run. The report prints them, the tests assert them; a claim that does not hold is reported as such.
 */
public final class SyntheticClaims {

    /** Widths {@code m >= OVERPARAMETERIZED * n} count as over-parameterized for the AdaLoss claim. */
    public static final int OVERPARAMETERIZED = 10;

    private SyntheticClaims() {
    }

    /**
     * @param n          number of synthetic examples
     * @param robustness the robustness sweep
     * @return AdaLoss reaches the target for every b0 at every over-parameterized width
     */
    public static Claim adaLossReachesTargetForEveryB0(int n, List<RunResult> robustness) {
        int minWidth = OVERPARAMETERIZED * n;
        List<String> failed = new ArrayList<>();
        Map<Integer, int[]> narrow = new LinkedHashMap<>();
        int count = 0;
        for (RunResult run : robustness) {
            if (!run.optimizer().equals("AdaLoss")) {
                continue;
            }
            if (run.width() >= minWidth) {
                count++;
                if (!run.reachedTarget()) {
                    failed.add(run.label() + " (" + run.status() + ")");
                }
            } else {
                int[] c = narrow.computeIfAbsent(run.width(), w -> new int[2]);
                c[0] += run.reachedTarget() ? 1 : 0;
                c[1]++;
            }
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("over-parameterized runs reaching it", (count - failed.size()) + " of " + count);
        if (!failed.isEmpty()) {
            evidence.put("not reached", failed);
        }
        narrow.forEach((w, c) -> evidence.put("narrow control m=" + w + " (not claimed)", c[0] + " of " + c[1]
                + " reached"));
        return Claim.check("AdaLoss reaches relative loss " + io.github.adaloss.experiments.run.Formats.number(RunResult.TARGET) + " for every b0 at every"
                + " over-parameterized width (m >= " + OVERPARAMETERIZED + " n)", failed.isEmpty() && count > 0,
                evidence);
    }

    /**
     * @param widths     the widths of the sweep
     * @param robustness the robustness sweep
     * @return GD diverges or stalls at both ends of its grid
     */
    public static Claim gdFailsAtBothEnds(int[] widths, List<RunResult> robustness) {
        Map<String, Object> perWidth = new LinkedHashMap<>();
        boolean holds = true;
        for (int w : widths) {
            List<RunResult> gd = robustness.stream().filter(x -> x.optimizer().equals("GD") && x.width() == w).toList();
            if (gd.isEmpty()) {
                continue;
            }
            RunResult smallest = gd.get(0);
            RunResult largest = gd.get(gd.size() - 1);
            boolean ok = !smallest.reachedTarget() && !largest.reachedTarget();
            holds &= ok;
            perWidth.put("m=" + w, "lr=" + io.github.adaloss.experiments.run.Formats.number(smallest.value()) + ": "
                    + smallest.status() + ", lr=" + io.github.adaloss.experiments.run.Formats.number(largest.value())
                    + ": " + largest.status());
        }
        return Claim.check("gradient descent diverges or stalls at both ends of its step-size grid",
                holds && !perWidth.isEmpty(), perWidth);
    }

    /**
     * @param ntk the NTK runs
     * @return the widest lazy network keeps lambda_min(H(t))/lambda_0 above 1/2
     */
    public static Claim widestNetStaysLazy(List<NtkExperiment.NtkRun> ntk) {
        NtkExperiment.NtkRun widest = null;
        for (NtkExperiment.NtkRun run : ntk) {
            if (run.run().value() == NtkExperiment.LAZY_B0
                    && (widest == null || run.run().width() > widest.run().width())) {
                widest = run;
            }
        }
        String text = "the widest network's lambda_min(H(t))/lambda_0 stays above 1/2";
        if (widest == null) {
            return Claim.check(text, false, Map.of("detail", "no NTK run"));
        }
        double ratio = NtkExperiment.minLambdaRatio(widest);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("width", widest.run().width());
        evidence.put("min ratio", ratio);
        return Claim.check(text, ratio > 0.5, evidence);
    }

    /**
     * @param momentum the momentum runs
     * @return heavy ball's tail rate is smaller than Nesterov's
     */
    public static Claim heavyBallBeatsNesterov(List<RunResult> momentum) {
        double hb = Double.NaN;
        double nag = Double.NaN;
        for (RunResult run : momentum) {
            if (run.optimizer().equals("HeavyBall")) {
                hb = MomentumExperiment.tailRate(run.loss());
            } else if (run.optimizer().equals("Nesterov")) {
                nag = MomentumExperiment.tailRate(run.loss());
            }
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("heavy ball tail rate", hb);
        evidence.put("Nesterov tail rate", nag);
        return Claim.check("heavy ball's tail rate beats Nesterov's (smaller per-iteration contraction factor)",
                hb < nag, evidence);
    }
}
