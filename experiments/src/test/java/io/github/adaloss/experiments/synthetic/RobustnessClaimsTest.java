package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.section.Claim;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The robustness claims on hand-made runs whose iteration counts are known, so each claim is seen to hold and to
 * fail: a run "reaching the target at t" has a loss curve falling from 1 to 1e-5 at t.
 */
class RobustnessClaimsTest {

    private static final int N = 100;
    private static final int WIDE = 2000;
    private static final double EDGE = 0.5;

    /** @return a run reaching the target at iteration t (t < 0: stalls at 0.5; t == Integer.MAX_VALUE: diverges) */
    private static RunResult run(String optimizer, double value, int t) {
        int len = t < 0 ? 501 : t == Integer.MAX_VALUE ? 5 : t + 1;
        double[] loss = new double[len];
        for (int i = 0; i < len; i++) {
            loss[i] = t < 0 ? 1 - 0.5 * i / 500.0 : t == Integer.MAX_VALUE ? Math.pow(1e3, i) : (i == t ? 1e-5 : 1);
        }
        return new RunResult("robustness", optimizer, optimizer.startsWith("Ada") && !optimizer.equals("Adam") ? "b0"
                : "lr", value, WIDE, 7, loss, new double[len], t == Integer.MAX_VALUE, Double.NaN);
    }

    /** AdaLoss at t for every b0; GD best at gdBest, diverging at every eta/b0 above the edge; Adam best at adamBest. */
    private static List<RunResult> runs(int adaLoss, int gdBest, int adamBest, boolean gdDivergesAtFirstSteps) {
        List<RunResult> r = new ArrayList<>();
        for (double b0 : Grids.b0()) {
            r.add(run("AdaLoss", b0, adaLoss));
        }
        for (double s : Grids.gdSteps(false, EDGE)) {
            boolean first = Grids.adaptiveFirstSteps()[0] <= s && isFirst(s);
            int t = s == EDGE ? gdBest : s > 1.6 * EDGE ? (first && !gdDivergesAtFirstSteps ? 400 : Integer.MAX_VALUE)
                    : s > 0.2 * EDGE ? gdBest + 100 : -1;
            r.add(run("GD", s, t));
        }
        double[] adam = Grids.adamRates(false);
        for (int i = 0; i < adam.length; i++) {
            r.add(run("Adam", adam[i], i == 8 ? adamBest : i == 7 || i == 9 ? adamBest + 50 : -1));
        }
        return r;
    }

    private static boolean isFirst(double s) {
        for (double x : Grids.adaptiveFirstSteps()) {
            if (Math.abs(x - s) < 1e-9 * x) {
                return true;
            }
        }
        return false;
    }

    @Test
    void gdClaimHoldsWithinThreeTimesTheTunedStepAndFailsBeyond() {
        Map<Integer, Double> edges = Map.of(WIDE, EDGE);
        Claim ok = RobustnessClaims.adaLossWithinFactorOfTunedGd(runs(300, 100, 100, true), edges, N);
        assertTrue(ok.holds(), ok.evidence().toString());
        assertTrue(ok.evidence().toString().contains("best GD lr=0.5 (1 x edge): 100, AdaLoss slowest b0 300 (ratio 3)"), ok.evidence().toString());
        assertTrue(ok.evidence().toString().contains("diverges for 6 of 7 b0"), ok.evidence().toString());
        Claim slow = RobustnessClaims.adaLossWithinFactorOfTunedGd(runs(301, 100, 100, true), edges, N);
        assertFalse(slow.holds(), slow.evidence().toString());
        Claim stable = RobustnessClaims.adaLossWithinFactorOfTunedGd(runs(150, 100, 100, false), edges, N);
        assertFalse(stable.holds(), "GD at eta/b0 converging for most b0 must break the claim: " + stable.evidence().toString());
        Claim missed = RobustnessClaims.adaLossWithinFactorOfTunedGd(runs(-1, 100, 100, true), edges, N);
        assertFalse(missed.holds(), missed.evidence().toString());
    }

    @Test
    void adamClaimComparesWithTheTunedRateAndTheWorkingRange() {
        Claim ok = RobustnessClaims.adaLossWithinFactorOfTunedAdam(runs(300, 100, 100, true), N);
        assertTrue(ok.holds(), ok.evidence().toString());
        assertTrue(ok.evidence().toString().contains("Adam 3 of 13 rates (0.5 decades), AdaLoss 7 of 7 b0 (6 decades)"),
                ok.evidence().toString());
        Claim slow = RobustnessClaims.adaLossWithinFactorOfTunedAdam(runs(301, 100, 100, true), N);
        assertFalse(slow.holds(), slow.evidence().toString());
    }

    @Test
    void narrowWidthsAreReportedNotClaimed() {
        List<RunResult> narrow = new ArrayList<>();
        for (double b0 : Grids.b0()) {
            narrow.add(new RunResult("robustness", "AdaLoss", "b0", b0, 1000, 7, new double[] {1, 0.9}, new double[2],
                    false, Double.NaN));
        }
        List<RunResult> all = new ArrayList<>(runs(300, 100, 100, true));
        all.addAll(narrow);
        Claim c = RobustnessClaims.adaLossReachesTargetForEveryB0(all, N);
        assertTrue(c.holds(), c.evidence().toString());
        assertTrue(c.evidence().toString().contains("below the threshold, m=1000 (m/n=10): 0 of 7 reached"), c.evidence().toString());
        Claim none = RobustnessClaims.adaLossReachesTargetForEveryB0(narrow, N);
        assertFalse(none.holds(), "no claimed width: " + none.evidence().toString());
    }
}
