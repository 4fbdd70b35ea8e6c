package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AdaLoss paper's NTK and momentum claims on the synthetic problem (the robustness claims are in
 * {@link RobustnessClaims}), evaluated on the numbers of one
 * run. The report prints them, the tests assert them; a claim that does not hold is reported as such.
 */
public final class SyntheticClaims {

    private SyntheticClaims() {
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
