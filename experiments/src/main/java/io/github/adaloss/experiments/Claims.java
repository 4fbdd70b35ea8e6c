package io.github.adaloss.experiments;

import io.github.adaloss.experiments.overparam.OverparamClaims;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.saddle.SaddleClaims;
import io.github.adaloss.experiments.saddle.SaddleNoiseControl;
import io.github.adaloss.experiments.synthetic.MomentumExperiment;
import io.github.adaloss.experiments.synthetic.NtkExperiment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The papers' claims, evaluated on the numbers of one run of the suite. The report prints them, the tests assert
 * them; a claim that does not hold is reported as such.
 */
public final class Claims {

    private Claims() {
    }

    /**
     * One checked claim.
     *
     * @param name     short identifier
     * @param holds    whether it holds on these numbers
     * @param evidence the numbers behind the verdict
     */
    public record Claim(String name, boolean holds, String evidence) {
    }

    /** @return every claim, in report order */
    public static List<Claim> evaluate(Suite.Results r) {
        List<Claim> claims = new ArrayList<>();
        claims.add(adaLossReachesTargetForEveryB0(r));
        claims.add(gdFailsAtBothEnds(r));
        claims.add(widestNetStaysLazy(r));
        claims.add(heavyBallBeatsNesterov(r));
        if (r.overparam() != null) {
            claims.addAll(OverparamClaims.evaluate(r.overparam()));
        }
        if (r.saddle() != null) {
            claims.addAll(SaddleClaims.evaluate(r.saddle()));
        }
        if (r.saddleControl() != null) {
            claims.addAll(SaddleNoiseControl.claims(r.saddleControl()));
        }
        return claims;
    }

    /** Widths {@code m >= OVERPARAMETERIZED * n} count as over-parameterized for the AdaLoss claim. */
    public static final int OVERPARAMETERIZED = 10;

    static Claim adaLossReachesTargetForEveryB0(Suite.Results r) {
        int minWidth = OVERPARAMETERIZED * r.options().n();
        List<String> failed = new ArrayList<>();
        Map<Integer, int[]> narrow = new LinkedHashMap<>();
        int count = 0;
        for (RunResult run : r.robustness()) {
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
        StringBuilder evidence = new StringBuilder(failed.isEmpty() ? count + " of " + count + " runs reached it"
                : "not reached: " + failed);
        narrow.forEach((w, c) -> evidence.append("; narrow control m=").append(w).append(" (m < ")
                .append(OVERPARAMETERIZED).append(" n, not claimed): ").append(c[0]).append(" of ").append(c[1])
                .append(" reached"));
        return new Claim("AdaLoss reaches relative loss " + RunResult.TARGET + " for every b0 at every"
                + " over-parameterized width (m >= " + OVERPARAMETERIZED + " n)", failed.isEmpty() && count > 0,
                evidence.toString());
    }

    static Claim gdFailsAtBothEnds(Suite.Results r) {
        Map<Integer, String> perWidth = new LinkedHashMap<>();
        boolean holds = true;
        for (int w : r.options().widths()) {
            List<RunResult> gd = r.robustness().stream()
                    .filter(x -> x.optimizer().equals("GD") && x.width() == w).toList();
            RunResult smallest = gd.get(0);
            RunResult largest = gd.get(gd.size() - 1);
            boolean ok = !smallest.reachedTarget() && !largest.reachedTarget();
            holds &= ok;
            perWidth.put(w, "lr=" + smallest.value() + ": " + smallest.status() + ", lr=" + largest.value() + ": "
                    + largest.status());
        }
        return new Claim("gradient descent diverges or stalls at both ends of its step-size grid", holds,
                perWidth.toString());
    }

    static Claim widestNetStaysLazy(Suite.Results r) {
        NtkExperiment.NtkRun widest = null;
        for (NtkExperiment.NtkRun run : r.ntk()) {
            if (run.run().value() == NtkExperiment.LAZY_B0
                    && (widest == null || run.run().width() > widest.run().width())) {
                widest = run;
            }
        }
        if (widest == null) {
            return new Claim("the widest network's lambda_min(H(t))/lambda_0 stays above 1/2", false, "no NTK run");
        }
        double ratio = NtkExperiment.minLambdaRatio(widest);
        return new Claim("the widest network's lambda_min(H(t))/lambda_0 stays above 1/2", ratio > 0.5,
                "m=" + widest.run().width() + ": min ratio " + ratio);
    }

    static Claim heavyBallBeatsNesterov(Suite.Results r) {
        double hb = Double.NaN;
        double nag = Double.NaN;
        for (RunResult run : r.momentum()) {
            if (run.optimizer().equals("HeavyBall")) {
                hb = MomentumExperiment.tailRate(run.loss());
            } else if (run.optimizer().equals("Nesterov")) {
                nag = MomentumExperiment.tailRate(run.loss());
            }
        }
        return new Claim("heavy ball's tail rate beats Nesterov's (smaller per-iteration contraction factor)",
                hb < nag, "heavy ball " + hb + ", Nesterov " + nag);
    }
}
