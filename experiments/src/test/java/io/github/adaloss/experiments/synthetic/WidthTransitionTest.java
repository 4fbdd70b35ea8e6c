package io.github.adaloss.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The width-transition measurement: its claims on hand-made runs, and its plumbing on a tiny real run. */
class WidthTransitionTest {

    /** @return a run whose relative loss falls below 1e-2 at t, 1e-4 at 2t, 1e-6 at 3t (deep < 3: stops earlier) */
    private static RunResult run(String optimizer, int width, long seed, double value, int deep, int t) {
        double[] loss = new double[3 * t + 1];
        for (int i = 0; i < loss.length; i++) {
            int level = Math.min(deep, i / t);
            loss[i] = level == 0 ? 1 : 0.5 * Math.pow(1e-2, level);
        }
        return new RunResult(WidthTransition.NAME, optimizer, optimizer.equals("GD") ? "lr" : "b0", value, width, seed,
                loss, new double[loss.length], false, Double.NaN);
    }

    /**
     * Every AdaLoss run at ratio >= from reaches 1e-6; below it, the first {@code below} first steps reach only
     * 1e-2 (deepBelow = 1) or 1e-4 (deepBelow = 2), the others nothing; GD reaches 1e-6 at 20 per level.
     */
    private static WidthTransition.Result result(int from, int below, int deepBelow, int adaT) {
        WidthTransition.Config c = new WidthTransition.Config(new int[] {1, 2, 5, 10, 20, 40}, 2);
        List<WidthTransition.Point> points = new ArrayList<>();
        List<RunResult> gd = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            for (int ratio : c.ratios()) {
                for (int i = 0; i < WidthTransition.MULTIPLES.length; i++) {
                    int deep = ratio >= from ? 3 : i < below ? deepBelow : 0;
                    points.add(new WidthTransition.Point(run("AdaLoss", ratio * 100, seed, i + 1, deep, adaT),
                            WidthTransition.MULTIPLES[i], true));
                }
                if (ratio >= RobustnessClaims.OVERPARAMETERIZED) {
                    gd.add(run("GD", ratio * 100, seed, 0.5, 3, 20));
                }
            }
        }
        return new WidthTransition.Result(c, 100, points, gd);
    }

    @Test
    void thresholdHoldsWhenEveryRunFromItOnReachesTheTarget() {
        WidthTransition.Result r = result(RobustnessClaims.OVERPARAMETERIZED, 2, 2, 30);
        assertEquals(RobustnessClaims.OVERPARAMETERIZED, r.transitionRatio());
        assertEquals(0.5, r.fractionReached(1), 1e-12);
        Claim c = WidthTransition.thresholdClaim(r);
        assertEquals(Claim.Kind.PAPER, c.kind());
        assertTrue(c.holds(), c.evidence().toString());
        assertTrue(c.evidence().toString().contains("1: 4/8 (missed at first step [0.5, 2]x edge); "),
                c.evidence().toString());
        assertFalse(WidthTransition.thresholdClaim(result(40, 2, 2, 30)).holds());
    }

    @Test
    void targetIndependenceHoldsOnlyWhenEveryTargetNeedsTheSameWidth() {
        Claim same = WidthTransition.targetIndependenceClaim(result(20, 0, 0, 30));
        assertTrue(same.holds(), same.evidence().toString());
        // below m/n = 20 every run reaches 1e-2 (but not 1e-4): the width needed for 1e-2 is smaller
        Claim differs = WidthTransition.targetIndependenceClaim(result(20, 4, 1, 30));
        assertFalse(differs.holds(), differs.evidence().toString());
        assertEquals("every run from m/n = 1 (fraction by m/n: 1: 1, 2: 1, 5: 1, 10: 1, 20: 1, 40: 1)",
                differs.evidence().get("target 0.01"));
        assertEquals("every run from m/n = 20 (fraction by m/n: 1: 0, 2: 0, 5: 0, 10: 0, 20: 1, 40: 1)",
                differs.evidence().get("target 1.00e-04"));
    }

    @Test
    void gdGoalComparesTheSlowestClaimedB0WithTheBestGdAtEveryWideWidthAndSeed() {
        // GD reaches 1e-4 at 40, AdaLoss at 2 * 60 = 120: 3x, holds; at 2 * 61 = 122 it does not
        Claim ok = WidthTransition.withinFactorOfTunedGdClaim(result(20, 0, 0, 60));
        assertEquals(Claim.Kind.GOAL, ok.kind());
        assertTrue(ok.holds(), ok.evidence().toString());
        assertTrue(ok.evidence().toString().contains("m=2000 seed 1: best GD 40 (lr 0.5), AdaLoss slowest claimed b0 "
                + "120"), ok.evidence().toString());
        assertFalse(WidthTransition.withinFactorOfTunedGdClaim(result(20, 0, 0, 61)).holds());
    }

    @Test
    void runsAtSeedsOtherThanTheReportedOne() {
        Options o = Options.parse(new String[] {"--seed", "7", "--n", "10", "--d", "3", "--iterations", "5"});
        WidthTransition.Config c = new WidthTransition.Config(new int[] {1, 20}, 2);
        WidthTransition.Result r = WidthTransition.run(o, c, null);
        assertEquals(WidthTransition.runCount(c), r.runs().size());
        assertEquals(2 * (2 * WidthTransition.MULTIPLES.length + WidthTransition.GD_FRACTIONS.length),
                r.runs().size());
        assertTrue(r.runs().stream().noneMatch(x -> x.seed() == 7), "the reported seed is not used");
        assertEquals(2, r.runs().stream().mapToLong(RunResult::seed).distinct().count());
        assertEquals("optimizer,ratio,width,seed,value,rho,claimed,it_0.01,it_1.00e-04,it_1.00e-06,diverged",
                r.toCsv().split("\n")[0]);
        assertEquals(r.runs().size() + 1, r.toCsv().split("\n").length);
    }
}
