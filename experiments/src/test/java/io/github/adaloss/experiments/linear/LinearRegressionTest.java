package io.github.adaloss.experiments.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.synthetic.LinearizedDynamics;
import org.junit.jupiter.api.Test;

/**
 * The linear-regression experiment at seeds the main job does not report (7 and 8), default size: its claims hold,
 * and gradient descent at the closed-form optimal step reaches the target where the plain-Java recursion says.
 */
class LinearRegressionTest {

    @Test
    void claimsHoldAtOtherSeedsAndGdMatchesItsClosedForm() {
        for (long seed : new long[] {7, 8}) {
            LinearRegressionExperiment.Result r = LinearRegressionExperiment.run(
                    LinearRegressionExperiment.Config.defaults(), seed, null);
            assertEquals(LinearRegressionExperiment.runCount(), r.runs().size());
            for (Claim c : LinearRegressionClaims.claims(r)) {
                assertTrue(c.holds(), "seed " + seed + ": " + c.text() + ": " + c.evidence());
            }
            double[] mu = r.problem().hessianEigenvalues();
            double kappa = mu[mu.length - 1] / mu[0];
            assertTrue(kappa > 20 && kappa < 500, "condition " + kappa);
            RunResult best = r.of("GD").get(r.of("GD").size() - 1);
            assertEquals(r.optimalStep(), best.value(), 0);
            int predicted = LinearizedDynamics.iterationsTo(r.problem().kernel().dynamics().gradientDescent(
                    best.value(), 2000), RunResult.TARGET);
            assertEquals(predicted, best.iterationsToTarget(), 1, "seed " + seed);
            // closed form: ((kappa - 1) / (kappa + 1))^2 per iteration at the optimal step
            assertEquals(Math.pow((kappa - 1) / (kappa + 1), 2), LinearizedDynamics.gradientDescentRate(mu,
                    best.value()), 1e-12);
            RunResult slowest = r.of("AdaLoss").get(r.of("AdaLoss").size() - 1);
            assertFalse(slowest.reachedTarget(), slowest.label());
        }
    }

    @Test
    void problemRejectsBadSizesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LeastSquaresProblem(10, 20, 1));
        assertEquals("need n >= 2 and 1 <= d <= n, got n=10, d=20", e.getMessage());
    }
}
