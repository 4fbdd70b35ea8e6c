package io.github.adaloss.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The robustness claims on hand-made runs whose iteration counts are known, so each claim is seen to hold and to
 * fail: a run "reaching the target at t" has a loss curve falling from 1 to 1e-5 at t. The kernel is diagonal with
 * eigenvalues 4 and 2 (edge 0.5) and residual (1, 1): GD at 0.1 x the edge contracts the two modes' losses by 0.64
 * and 0.81 per iteration (relative loss (0.64^t + 0.81^t) / 2 reaches 1e-4 at t = 41: claimed), at 0.01 x by 0.9604
 * and 0.9801 (t = 424, more than half the budget of 500: the slow side).
 */
class RobustnessClaimsTest {

    private static final int N = 100;
    private static final int WIDE = 2000;
    private static final int BUDGET = 500;

    private static KernelAtInit kernel(int width) {
        return new KernelAtInit(width, new NtkSpectrum(new double[] {2, 4}),
                new LinearizedDynamics(new double[][] {{4, 0}, {0, 2}}, new double[] {1, 1}));
    }

    /** @return a run reaching the target at iteration t (t < 0: stalls at 0.5; t == Integer.MAX_VALUE: diverges) */
    private static RunResult run(String optimizer, double value, int width, int t) {
        int len = t < 0 ? BUDGET + 1 : t == Integer.MAX_VALUE ? 5 : t + 1;
        double[] loss = new double[len];
        for (int i = 0; i < len; i++) {
            loss[i] = t < 0 ? 1 - 0.5 * i / BUDGET : t == Integer.MAX_VALUE ? Math.pow(1e3, i) : (i == t ? 1e-5 : 1);
        }
        return new RunResult("robustness", optimizer, optimizer.startsWith("Ada") && !optimizer.equals("Adam") ? "b0"
                : "lr", value, width, 7, loss, new double[len], t == Integer.MAX_VALUE, Double.NaN);
    }

    /**
     * AdaLoss at t for every claimed first step (and at {@code slow} for 0.01 x the edge); GD best at the edge with
     * gdBest, diverging above 1.25 x the edge; Adam best at adamBest.
     */
    private static RobustnessExperiment.Sweep sweep(int width, int adaLoss, int slow, int gdBest, int adamBest) {
        KernelAtInit k = kernel(width);
        List<RunResult> r = new ArrayList<>();
        double[] b0 = Grids.b0(k);
        for (int i = 0; i < b0.length; i++) {
            r.add(run("AdaLoss", b0[i], width, Grids.FIRST_STEP_MULTIPLES[i] == 0.01 ? slow : adaLoss));
        }
        for (double s : Grids.gdSteps(false, k.edge())) {
            int t = s == k.edge() ? gdBest : s > 1.3 * k.edge() ? Integer.MAX_VALUE
                    : s > 0.2 * k.edge() ? gdBest + 100 : -1;
            r.add(run("GD", s, width, t));
        }
        double[] adam = Grids.adamRates(false);
        for (int i = 0; i < adam.length; i++) {
            r.add(run("Adam", adam[i], width, i == 8 ? adamBest : i == 7 || i == 9 ? adamBest + 50 : -1));
        }
        return new RobustnessExperiment.Sweep(r, Map.of(width, k));
    }

    @Test
    void theClaimedSideComesFromTheKernelNotFromTheRuns() {
        assertEquals(List.of(100.0, 10.0, 2.0, 0.5, 0.1), RobustnessClaims.claimedMultiples(kernel(WIDE), BUDGET));
        assertEquals(41, RobustnessClaims.predictedGdIterations(kernel(WIDE), 0.1, BUDGET));
        assertEquals(-1, RobustnessClaims.predictedGdIterations(kernel(WIDE), 0.01, BUDGET / 2));
        // a budget of 80 leaves 0.1 x the edge (41 iterations, more than 40) on the slow side
        assertEquals(List.of(100.0, 10.0, 2.0, 0.5), RobustnessClaims.claimedMultiples(kernel(WIDE), 80));
    }

    @Test
    void reachClaimCoversTheClaimedSideAndReportsTheSlowSide() {
        Claim ok = RobustnessClaims.adaLossReachesTarget(sweep(WIDE, 300, -1, 100, 100), N, BUDGET);
        assertEquals(Claim.Kind.PAPER, ok.kind());
        assertTrue(ok.holds(), ok.evidence().toString());
        String ev = ok.evidence().toString();
        assertTrue(ev.contains("5 of 5 claimed b0 reached; slow side 0.01x: not reached (relative loss 0.5; GD at "
                + "that fixed step: predicted 424 iterations)"), ev);
        Claim missed = RobustnessClaims.adaLossReachesTarget(sweep(WIDE, -1, -1, 100, 100), N, BUDGET);
        assertFalse(missed.holds(), missed.evidence().toString());
        assertTrue(missed.evidence().get("detail").toString().startsWith("not reached: [AdaLoss b0=1e-3 m=2000 (first "
                + "step 100x"),
                missed.evidence().toString());
    }

    @Test
    void gdGoalHoldsWithinThreeTimesTheTunedStepAndStatesWhereGdDiverges() {
        Claim ok = RobustnessClaims.adaLossWithinFactorOfTunedGd(sweep(WIDE, 300, -1, 100, 100), N, BUDGET);
        assertEquals(Claim.Kind.GOAL, ok.kind());
        assertTrue(ok.holds(), ok.evidence().toString());
        String ev = ok.evidence().toString();
        assertTrue(ev.contains("best GD lr=0.5 (1 x edge): 100, AdaLoss slowest claimed b0 300 (ratio 3)"), ev);
        assertTrue(ev.contains("diverges from 1.5 x edge on"), ev);
        Claim slow = RobustnessClaims.adaLossWithinFactorOfTunedGd(sweep(WIDE, 301, -1, 100, 100), N, BUDGET);
        assertFalse(slow.holds(), slow.evidence().toString());
    }

    @Test
    void adamGoalComparesWithTheTunedRateAndTheWorkingRange() {
        Claim ok = RobustnessClaims.adaLossWithinFactorOfTunedAdam(sweep(WIDE, 300, -1, 100, 100), N, BUDGET);
        assertTrue(ok.holds(), ok.evidence().toString());
        assertTrue(ok.evidence().toString().contains("Adam 3 of 13 rates (0.5 decades), AdaLoss 5 of 5 claimed b0"),
                ok.evidence().toString());
        Claim slow = RobustnessClaims.adaLossWithinFactorOfTunedAdam(sweep(WIDE, 301, -1, 100, 100), N, BUDGET);
        assertFalse(slow.holds(), slow.evidence().toString());
    }

    @Test
    void narrowWidthsAreReportedNotClaimed() {
        RobustnessExperiment.Sweep wide = sweep(WIDE, 300, -1, 100, 100);
        RobustnessExperiment.Sweep narrow = sweep(1000, -1, -1, 100, 100);
        List<RunResult> all = new ArrayList<>(wide.runs());
        all.addAll(narrow.runs());
        RobustnessExperiment.Sweep both = new RobustnessExperiment.Sweep(all, Map.of(WIDE, kernel(WIDE), 1000,
                kernel(1000)));
        Claim c = RobustnessClaims.adaLossReachesTarget(both, N, BUDGET);
        assertTrue(c.holds(), c.evidence().toString());
        assertTrue(c.evidence().toString().contains("m=1000 (m/n=10, below the threshold, not claimed)"),
                c.evidence().toString());
        Claim none = RobustnessClaims.adaLossReachesTarget(narrow, N, BUDGET);
        assertFalse(none.holds(), "no claimed width: " + none.evidence().toString());
    }
}
