package io.github.adaloss.experiments.saddle;

import io.github.adaloss.experiments.section.Claim;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.LossFeedListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
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
            assertEquals(7, claims.size());
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
        for (String o : SaddleNoiseControl.noisySaddleOptimizers()) {
            expected += SaddleNoiseControl.grid(o).length;
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

    @Test
    void fullMatrixMethodsRunAtTheNoisySaddleAtRatesFromTheTuningSeedsOnGridsPastTheBestRate() {
        for (long seed : SaddleRuns.SEEDS) {
            SaddleNoiseControl.Result r = SaddleRuns.control(seed);
            for (String o : SaddleNoiseControl.FULL_MATRIX) {
                SaddleNoiseControl.Row row = r.row(o, "noisy saddle");
                assertThrows(IllegalArgumentException.class, () -> r.row(o, "origin"));
                assertEquals(config.seeds(), row.miniBatch().length, o);
                assertEquals(config.seeds(), row.fullBatch().length, o);
                List<SaddleEscapeExperiment.Escapes> tuned = r.tuning().stream().filter(e -> e.optimizer().equals(o))
                        .toList();
                assertArrayEquals(SaddleNoiseControl.grid(o), tuned.stream().mapToDouble(
                        SaddleEscapeExperiment.Escapes::rate).toArray(), o);
                // the chosen rate: most tuning seeds escaped, then the smallest lower median (recomputed here)
                int most = tuned.stream().mapToInt(SaddleEscapeExperiment.Escapes::escaped).max().orElseThrow();
                int fastest = tuned.stream().filter(e -> e.escaped() == most).mapToInt(e -> lowerMedian(e.escape()))
                        .min().orElseThrow();
                SaddleEscapeExperiment.Escapes chosen = tuned.stream().filter(e -> e.rate() == row.rate()).findFirst()
                        .orElseThrow();
                assertEquals(most, chosen.escaped(), seed + " " + o);
                assertEquals(fastest, lowerMedian(chosen.escape()), seed + " " + o);
                // the grid reaches past the best rate: its largest rate loses a tuning seed or is slower than the
                // chosen one (at seed 2024, 300 iterations, full-matrix AdaGrad at lr = 10 escaped 3/3 in 91-99)
                SaddleEscapeExperiment.Escapes top = tuned.get(tuned.size() - 1);
                assertTrue(top.escaped() < SaddleNoiseControl.TUNING_SEEDS
                        || lowerMedian(top.escape()) > lowerMedian(chosen.escape()),
                        seed + " " + o + " top rate " + Arrays.toString(top.escape()));
                assertTrue(row.rate() < top.rate(), seed + " " + o);
            }
        }
    }

    @Test
    void fullMatrixClaimVerdictFollowsTheMedians() {
        for (long seed : SaddleRuns.SEEDS) {
            SaddleNoiseControl.Result r = SaddleRuns.control(seed);
            List<Claim> claims = SaddleNoiseControl.claims(r);
            int[] full = r.row(SaddleNoiseControl.FULL_MATRIX_ADAGRAD, "noisy saddle").miniBatch();
            int[] scalar = r.row(SaddleEscapeExperiment.ADAGRAD_NORM_NORMALIZED, "noisy saddle").miniBatch();
            Claim claim = claims.get(5);
            assertTrue(claim.text().contains("full-matrix AdaGrad"), claim.text());
            assertEquals(Claim.Kind.PAPER, claim.kind());
            assertEquals(lowerMedian(full) < lowerMedian(scalar), claim.holds(), seed + ": " + claim.evidence());
            int fullNoNoise = lowerMedian(r.row(SaddleNoiseControl.FULL_MATRIX_ADAGRAD, "noisy saddle").fullBatch());
            int scalarNoNoise = lowerMedian(r.row(SaddleEscapeExperiment.ADAGRAD_NORM_NORMALIZED, "noisy saddle")
                    .fullBatch());
            Claim caveat = claims.get(6);
            assertEquals(Claim.Status.CAVEAT, caveat.status());
            assertEquals(fullNoNoise < scalarNoNoise, caveat.text().startsWith("caveat: without noise"),
                    seed + ": " + caveat.text() + " " + caveat.evidence());
        }
        // hand-made medians: the verdict flips with them, and a censored median never wins
        assertTrue(SaddleNoiseControl.claims(handMade(new int[] {3, 3, 9}, new int[] {4, 4, 4})).get(5).holds());
        assertFalse(SaddleNoiseControl.claims(handMade(new int[] {4, 4, 1}, new int[] {4, 4, 4})).get(5).holds());
        assertFalse(SaddleNoiseControl.claims(handMade(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 1},
                new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 2})).get(5).holds());
        Claim noiseless = SaddleNoiseControl.claims(handMade(new int[] {3, 3, 3}, new int[] {4, 4, 4})).get(6);
        assertTrue(noiseless.text().startsWith("caveat: without noise"), noiseless.text());
        assertTrue(noiseless.evidence().toString().contains("3 vs 4"), noiseless.evidence().toString());
    }

    /**
     * The full-matrix update against an independent implementation: its first step is {@code eta g / (|g| + eps)},
     * which DL4J's training of the project's AdaGrad-Norm at b0 = 1e-6 gives as {@code eta g / sqrt(b0^2 + |g|^2)};
     * after the second step they differ (G_2 has rank 2), so the full-matrix path is not a scalar step.
     */
    @Test
    void firstFullMatrixStepIsAdaGradNormsStepInDl4j() {
        SaddleProblem p = new SaddleProblem(config.n(), config.d(), config.h(), config.inputSpread(), config.seed());
        double eta = 0.3;
        MultiLayerNetwork full = SaddleNoiseControl.atNoisySaddle(p, new Sgd(0.0), config.d(), config.h(), 99);
        MultiLayerNetwork scalar = SaddleNoiseControl.atNoisySaddle(p, new AdaGradNorm(eta,
                SaddleEscapeExperiment.NORMALIZED_B0), config.d(), config.h(), 99);
        scalar.setListeners(new LossFeedListener());
        FullMatrixPreconditioner pre = SaddleNoiseControl.preconditioner(SaddleNoiseControl.FULL_MATRIX_ADAGRAD);
        double[] start = full.params().toDoubleVector();
        Random rnd = new Random(5);
        for (int step = 1; step <= 2; step++) {
            int[] rows = new int[config.batch()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = rnd.nextInt(config.n());
            }
            DataSet mb = new DataSet(p.data().getFeatures().getRows(rows), p.data().getLabels().getRows(rows));
            SaddleNoiseControl.fullMatrixUpdate(full, pre, eta, mb, step);
            scalar.fit(mb);
            double[] a = full.params().toDoubleVector();
            double[] b = scalar.params().toDoubleVector();
            double diff = 0;
            double moved = 0;
            for (int k = 0; k < a.length; k++) {
                diff = Math.max(diff, Math.abs(a[k] - b[k]));
                moved = Math.max(moved, Math.abs(b[k] - start[k]));
            }
            if (step == 1) {
                assertTrue(moved > 0.01, "AdaGrad-Norm moved " + moved);
                // eps = 1e-6 against b0 = 1e-6: relative 1e-6 / |g| (|g| of order 0.1-1); a wrong layout or scale: order 1
                assertTrue(diff < 1e-4 * moved, "first step differs by " + diff + " (moved " + moved + ")");
            } else {
                assertTrue(diff > 1e-3 * moved, "second step should differ, by " + diff);
            }
        }
    }

    private static int lowerMedian(int[] t) {
        int[] s = t.clone();
        Arrays.sort(s);
        return s[(s.length - 1) / 2];
    }

    /** A result whose only meaningful rows are full-matrix AdaGrad and AdaGrad-Norm at b0 = 1e-6 (mini = full). */
    private static SaddleNoiseControl.Result handMade(int[] fullMatrix, int[] normalized) {
        List<SaddleNoiseControl.Row> rows = new ArrayList<>();
        int[] other = {10, 10, 10};
        for (String start : List.of("origin", "noisy saddle")) {
            for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
                int[] t = start.equals("noisy saddle") && o.equals(SaddleEscapeExperiment.ADAGRAD_NORM_NORMALIZED)
                        ? normalized : other;
                rows.add(new SaddleNoiseControl.Row(o, 0.1, start, t, t));
            }
        }
        for (String o : SaddleNoiseControl.FULL_MATRIX) {
            int[] t = o.equals(SaddleNoiseControl.FULL_MATRIX_ADAGRAD) ? fullMatrix : other;
            rows.add(new SaddleNoiseControl.Row(o, 0.1, "noisy saddle", t, t));
        }
        return new SaddleNoiseControl.Result(rows, 0.24, 1e-14, new NoiseIsotropy(0.02, 0.03, 110, 256), List.of(),
                0.08, 9);
    }
}
