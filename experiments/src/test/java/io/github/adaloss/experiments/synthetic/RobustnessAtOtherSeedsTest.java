package io.github.adaloss.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The robustness claims at seeds the main job does not use (46 and 47; the main job reports 42 and runs 43-45 in the
 * width-transition section), at a reduced size: n = 50, widths m = 20 n and 40 n, the default budget of 500
 * iterations. Nothing here was tuned on these seeds: eta and b0 come from the kernel at initialization. What is
 * asserted is what was measured there, including where it departs from the default run's threshold.
 */
class RobustnessAtOtherSeedsTest {

    private static WidthTransition.Result result;

    @BeforeAll
    static void run() {
        Options o = Options.parse("--seed", "45", "--n", "50", "--d", "10");
        result = WidthTransition.run(o, new WidthTransition.Config(new int[] {20, 40}, 2), null);
        assertEquals(java.util.Set.of(46L, 47L), new java.util.TreeSet<>(result.runs().stream()
                .map(RunResult::seed).toList()));
    }

    @Test
    void adaLossReachesTheTargetForEveryClaimedB0AtFortyTimesN() {
        // measured at these seeds: at n = 50 every claimed run reaches the target from m = 40 n on; at 20 n the first
        // steps 10x and 2x the edge miss it (5 of 8), so the threshold 20 n measured at n = 100 does not carry over
        assertEquals(1.0, result.fractionReached(40), 0);
        assertEquals(40, result.transitionRatio());
        assertTrue(result.points().stream().filter(p -> p.claimed() && p.run().width() == 2000).count() == 8,
                "claimed runs at m = 40 n: " + result.points());
        Claim c = WidthTransition.thresholdClaim(result);
        assertFalse(c.holds(), c.text() + ": " + c.evidence());
        assertTrue(c.evidence().get("detail").toString().contains("40: 8/8"), c.evidence().toString());
    }

    @Test
    void theWidthNeededDoesNotDependOnTheTarget() {
        Claim c = WidthTransition.targetIndependenceClaim(result);
        assertTrue(c.holds(), c.text() + ": " + c.evidence());
        for (double tau : WidthTransition.TARGETS) {
            assertEquals(40, result.transitionRatio(tau), "target " + tau);
        }
    }

    @Test
    void bestGdStepSitsNearTheEdgeAndAdaLossReportsItsRatio() {
        for (RunResult gd : result.gd()) {
            assertFalse(gd.value() <= 0, gd.label());
        }
        RunResult best = RobustnessClaims.fastest(result.gd().stream().filter(g -> g.width() == 2000).toList());
        assertTrue(best != null && best.iterationsToTarget() < 100, "best GD " + best);
        Claim c = WidthTransition.withinFactorOfTunedGdClaim(result);
        assertEquals(Claim.Kind.GOAL, c.kind());
        assertTrue(c.evidence().get("detail").toString().contains("m=2000 seed 46: best GD"), c.evidence().toString());
    }
}
