package io.github.adaloss.experiments.saddle;

import io.github.adaloss.experiments.section.Claim;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The noise controls at a reduced size ({@link SaddleRuns}) at seeds 7 and 2024: the rates at the noisy saddle are
 * chosen inside the run on tuning seeds, and the claims must hold at both seeds.
 */
class SaddleNoiseControlTest {

    private static SaddleEscapeExperiment.Config config;
    private static SaddleNoiseControl.Result result;

    @BeforeAll
    static void run() {
        config = SaddleRuns.config(SaddleRuns.SEEDS[0]);
        result = SaddleRuns.control(SaddleRuns.SEEDS[0]);
    }

    @Test
    void theNoisySaddleIsAStationaryPointWithNoise() {
        SaddleProblem p = new SaddleProblem(config.n(), config.d(), config.h(), config.inputSpread(), config.seed());
        assertTrue(result.saddleGradient() < 1e-10, "full gradient " + result.saddleGradient());
        double labels = p.data().getLabels().norm2Number().doubleValue();
        assertEquals(labels * labels / config.n(), result.saddleLoss(), 1e-12, "f = 0 there, so L = mean y^2");
        assertTrue(result.saddleIsotropy().raw() > 0, "non-zero noise");
        assertTrue(SaddleNoiseControl.atNoisySaddle(p, new Sgd(0.0), config.d(), config.h(), 43).numParams() == 110);
    }

    @Test
    void claimsOnTheNumbersAtTwoSeeds() {
        for (long seed : SaddleRuns.SEEDS) {
            java.util.List<Claim> claims = SaddleNoiseControl.claims(SaddleRuns.control(seed));
            assertEquals(5, claims.size());
            for (Claim c : claims.subList(0, 3)) {
                assertTrue(c.holds(), "seed " + seed + ": " + c.text() + ": " + c.evidence().toString());
            }
        }
    }

    @Test
    void stepNormalizationAloneSpeedsUpTheEscapeAndTheIsotropyVerdictFollowsTheMedians() {
        for (long seed : SaddleRuns.SEEDS) {
            SaddleNoiseControl.Result r = SaddleRuns.control(seed);
            SaddleNoiseControl.Row sgd = r.row("SGD", "noisy saddle");
            SaddleNoiseControl.Row scalar = r.row(SaddleEscapeExperiment.ADAGRAD_NORM_NORMALIZED, "noisy saddle");
            SaddleNoiseControl.Row diag = r.row(SaddleEscapeExperiment.ADAGRAD, "noisy saddle");
            // the scalar normalized step (noise shape unchanged) leaves the saddle before SGD, with and without noise
            assertTrue(scalar.miniMedian() < sgd.miniMedian(), seed + ": " + scalar.miniMedian() + " vs " + sgd.miniMedian());
            assertTrue(scalar.fullMedian() < sgd.fullMedian(), seed + ": " + scalar.fullMedian() + " vs " + sgd.fullMedian());
            Claim iso = SaddleNoiseControl.claims(r).get(3);
            assertEquals(diag.miniMedian() < scalar.miniMedian(), iso.holds(), seed + ": " + iso.evidence());
            assertEquals(Claim.Status.CAVEAT, SaddleNoiseControl.claims(r).get(4).status());
        }
    }

    @Test
    void ratesAreChosenOnTuningSeedsDisjointFromTheReportedOnes() {
        SaddleNoiseControl.Result r = SaddleRuns.control(SaddleRuns.SEEDS[0]);
        int expected = 0;
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            expected += SaddleEscapeExperiment.grid(o).length;
            SaddleEscapeExperiment.Escapes chosen = SaddleEscapeExperiment.reliable(r.tuning(), o);
            assertEquals(chosen.rate(), r.row(o, "noisy saddle").rate(), o);
        }
        assertEquals(expected, r.tuning().size());
        for (SaddleEscapeExperiment.Escapes e : r.tuning()) {
            assertEquals(SaddleNoiseControl.TUNING_SEEDS, e.escape().length);
        }
        // the tuning seeds start at seed + TUNING_OFFSET, far from the reported seed + 1 .. seed + seeds
        assertTrue(SaddleNoiseControl.TUNING_OFFSET > 1000);
    }

    @Test
    void sameSeedSameNumbers() {
        SaddleProblem p = new SaddleProblem(64, 4, 4, 10, 3);
        SaddleEscapeExperiment.Config c = new SaddleEscapeExperiment.Config(64, 4, 4, 10, 1e-3, 8, 40, 1, 1, 0.5, 3);
        int[] a = new int[2];
        int[] b = new int[2];
        for (int g = 0; g < 2; g++) {
            a[g] = SaddleEscapeExperiment.escapeTime(SaddleNoiseControl.atNoisySaddle(p, new Sgd(0.5), 4, 4, 4), p.data(),
                    c, 4, g == 1);
            b[g] = SaddleEscapeExperiment.escapeTime(SaddleNoiseControl.atNoisySaddle(p, new Sgd(0.5), 4, 4, 4), p.data(),
                    c, 4, g == 1);
        }
        assertArrayEquals(a, b);
    }
}
