package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.section.Claim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The width-transition measurement: its claim on hand-made runs, and its plumbing on a tiny real run. */
class WidthTransitionTest {

    private static RunResult run(int width, long seed, double b0, boolean reached) {
        return new RunResult(WidthTransition.NAME, "AdaLoss", "b0", b0, width, seed,
                reached ? new double[] {1, 1e-5} : new double[] {1, 0.5}, new double[2], false, Double.NaN);
    }

    /** Every run at ratio >= from reaches the target; below it, only the first {@code below} b0 values do. */
    private static WidthTransition.Result result(int from, int below) {
        WidthTransition.Config c = new WidthTransition.Config(new int[] {1, 2, 5, 10, 20, 40}, 2);
        List<RunResult> runs = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            for (int ratio : c.ratios()) {
                double[] b0 = Grids.b0();
                for (int i = 0; i < b0.length; i++) {
                    runs.add(run(ratio * 100, seed, b0[i], ratio >= from || i < below));
                }
            }
        }
        return new WidthTransition.Result(c, 100, runs);
    }

    @Test
    void thresholdHoldsWhenEveryRunFromItOnReachesTheTarget() {
        WidthTransition.Result r = result(RobustnessClaims.OVERPARAMETERIZED, 4);
        assertEquals(RobustnessClaims.OVERPARAMETERIZED, r.transitionRatio());
        assertEquals(8.0 / 14, r.fractionReached(1), 1e-12);
        Claim c = WidthTransition.thresholdClaim(r);
        assertTrue(c.holds(), c.evidence().toString());
        assertTrue(c.evidence().toString().contains("1: 8/14 (missed at b0 [10, 100, 1000]); "), c.evidence().toString());
        assertTrue(c.evidence().toString().contains("every run reaches it from m/n = " + RobustnessClaims.OVERPARAMETERIZED),
                c.evidence().toString());
    }

    @Test
    void thresholdFailsWhenTheTransitionLiesAboveIt() {
        WidthTransition.Result r = result(40, 4);
        assertEquals(40, r.transitionRatio());
        Claim c = WidthTransition.thresholdClaim(r);
        assertFalse(c.holds(), c.evidence().toString());
    }

    @Test
    void runsAtSeedsOtherThanTheReportedOne() {
        Options o = Options.parse(new String[] {"--seed", "7", "--n", "10", "--d", "3", "--iterations", "5"});
        WidthTransition.Config c = new WidthTransition.Config(new int[] {1, 2}, 2);
        WidthTransition.Result r = WidthTransition.run(o, c, null);
        assertEquals(WidthTransition.runCount(c), r.runs().size());
        assertEquals(2 * 2 * 7, r.runs().size());
        assertTrue(r.runs().stream().noneMatch(x -> x.seed() == 7), "the reported seed is not used");
        assertEquals(2, r.runs().stream().mapToLong(RunResult::seed).distinct().count());
        assertEquals("ratio,width,seed,b0,iterations_to_target,diverged", r.toCsv().split("\n")[0]);
        assertEquals(r.runs().size() + 1, r.toCsv().split("\n").length);
    }
}
