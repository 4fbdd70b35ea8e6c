package io.github.adaloss.experiments.saddle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.section.Claim;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

/** The noise controls at a reduced size (3 seeds, 300 iterations) on the default problem. */
class SaddleNoiseControlTest {

    private static SaddleEscapeExperiment.Config config;
    private static SaddleNoiseControl.Result result;

    @BeforeAll
    static void run() {
        SaddleEscapeExperiment.Config d = SaddleEscapeExperiment.Config.defaults(42);
        config = new SaddleEscapeExperiment.Config(d.n(), d.d(), d.h(), d.inputSpread(), d.initScale(), d.batch(),
                300, 1, 3, d.threshold(), d.seed());
        // best rates of the main experiment at the default size (see SaddleEscapeExperimentTest), without rerunning it
        List<SaddleEscapeExperiment.Escapes> best = List.of(
                new SaddleEscapeExperiment.Escapes("SGD", 1.0, new int[] {10}),
                new SaddleEscapeExperiment.Escapes("RMSProp", 0.03, new int[] {2}),
                new SaddleEscapeExperiment.Escapes("Adam", 0.1, new int[] {2}),
                new SaddleEscapeExperiment.Escapes("AdaLoss", 3.0, new int[] {6}),
                new SaddleEscapeExperiment.Escapes("AdaGradNorm", 3.0, new int[] {5}));
        result = SaddleNoiseControl.run(new SaddleEscapeExperiment.Result(config, best, null), null);
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
    void claimsOnTheNumbers() {
        for (Claim c : SaddleNoiseControl.claims(result)) {
            assertTrue(c.holds(), c.text() + ": " + c.evidence());
        }
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
