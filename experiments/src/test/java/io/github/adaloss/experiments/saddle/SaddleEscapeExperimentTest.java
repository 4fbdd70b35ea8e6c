package io.github.adaloss.experiments.saddle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the saddle experiment at a default size (5 seeds, 400 iterations; --full uses 10 and 1000) and asserts the claims on its numbers. */
class SaddleEscapeExperimentTest {

    private static SaddleEscapeExperiment.Result result;

    @BeforeAll
    static void run() {
        result = SaddleEscapeExperiment.run(SaddleEscapeExperiment.Config.defaults(42), null);
    }

    @Test
    void rmsPropAndAdamEscapeFasterThanSgdAtEachOnesBestRate() {
        int sgd = result.best("SGD").median();
        for (String adaptive : new String[] {"RMSProp", "Adam"}) {
            int m = result.best(adaptive).median();
            assertTrue(m < sgd, adaptive + " best median " + m + " vs SGD best median " + sgd);
        }
    }

    @Test
    void everyOptimizerEscapesAtSomeRateOfItsGrid() {
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            assertTrue(result.best(o).escaped() == result.config().seeds(), o + ": " + result.best(o));
        }
    }

    @Test
    void diagonalPreconditioningMakesTheNoiseCloserToIsotropic() {
        NoiseIsotropy iso = result.isotropy();
        assertTrue(iso.preconditioned() > 2 * iso.raw(), iso.toString());
    }

    @Test
    void csvHoldsOneRowPerRunWithEmptyCellsForRunsThatDidNotEscape() {
        String[] lines = result.toCsv().split("\n");
        int runs = SaddleEscapeExperiment.runCount(result.config());
        org.junit.jupiter.api.Assertions.assertEquals(runs + 1, lines.length);
        SaddleEscapeExperiment.Escapes first = result.runs().get(0);
        String expected = first.optimizer() + "," + first.rate() + "," + (result.config().seed() + 1) + ","
                + (first.escape()[0] == Integer.MAX_VALUE ? "" : Integer.toString(first.escape()[0]));
        org.junit.jupiter.api.Assertions.assertEquals(expected, lines[1]);
    }

    @Test
    void sameSeedSameNumbers() {
        SaddleEscapeExperiment.Config c = new SaddleEscapeExperiment.Config(64, 4, 4, 10, 1e-3, 8, 15, 1, 2, 0.5, 3);
        SaddleEscapeExperiment.Result a = SaddleEscapeExperiment.run(c, null);
        SaddleEscapeExperiment.Result b = SaddleEscapeExperiment.run(c, null);
        for (int k = 0; k < a.runs().size(); k++) {
            assertArrayEquals(a.runs().get(k).escape(), b.runs().get(k).escape(), a.runs().get(k).optimizer());
        }
    }
}
