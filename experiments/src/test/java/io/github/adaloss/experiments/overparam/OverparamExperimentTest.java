package io.github.adaloss.experiments.overparam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.realdata.Datasets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The over-parameterization sweep: its mechanics on a short real run (distinct Iris, seed 7, P/n in {0.3, 30}, 200
 * iterations, the step from the curvature), and its claims on hand-made runs whose verdicts are known, so every claim
 * is seen to hold and to fail.
 */
class OverparamExperimentTest {

    private static OverparamExperiment.Result result;

    @BeforeAll
    static void run() throws Exception {
        OverparamExperiment.Config c = new OverparamExperiment.Config(new double[] {0.3, 30}, false, 200, Double.NaN,
                1, 1e-2, 7, OverparamExperiment.Config.EDGE_FRACTION);
        result = OverparamExperiment.run(c, List.of(OverparamExperiment.stratified("Iris",
                OverparamData.distinct(Datasets.iris()), 2.0 / 3, 7)), null);
    }

    @Test
    void parameterCountMatchesDl4j() {
        for (int h : new int[] {1, 3, 28, 95}) {
            assertEquals(OverparamExperiment.network(4, h, 3, 1, 0.5).numParams(),
                    OverparamExperiment.parameterCount(4, h, 3));
        }
        // P(h) = h^2 + 9h + 3 for Iris: the smallest h with P >= 100 is 7 (P(6) = 93, P(7) = 115)
        assertEquals(7, OverparamExperiment.widthFor(4, 3, 100));
        OverparamExperiment.Config c = new OverparamExperiment.Config(new double[] {0.1, 0.3, 10, 30}, false, 1,
                Double.NaN, 1, 1e-2, 7, 0.5);
        assertArrayEquals(new int[] {1, 3, 28, 51}, OverparamExperiment.widths(c, 99, 4, 3));
    }

    @Test
    void stratifiedSplitKeepsTwoThirdsOfEveryClass() throws Exception {
        OverparamExperiment.Split s = OverparamExperiment.stratified("Iris", Datasets.iris(), 2.0 / 3, 42);
        assertEquals(99, s.train().numExamples());
        assertEquals(51, s.test().numExamples());
        INDArray perClass = s.train().getLabels().sum(0);
        assertArrayEquals(new double[] {33, 33, 33}, perClass.toDoubleVector(), 0);
    }

    @Test
    void poolingAveragesBlocks() {
        double[] img = new double[16];
        for (int i = 0; i < 16; i++) {
            img[i] = i;
        }
        INDArray pooled = OverparamExperiment.pool(Nd4j.createFromArray(new double[][] {img}), 2);
        // 4x4 image 0..15 row-major, 2x2 blocks: (0+1+4+5)/4 = 2.5, (2+3+6+7)/4 = 4.5, 10.5, 12.5
        assertArrayEquals(new double[] {2.5, 4.5, 10.5, 12.5}, pooled.toDoubleVector(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> OverparamExperiment.pool(Nd4j.zeros(1, 15), 2));
    }

    @Test
    void irisHoldsThreeDuplicatedInputsAndTheSweepUsesNone() throws Exception {
        assertEquals(3, OverparamData.duplicates(Datasets.iris()));
        assertEquals(147, OverparamData.distinct(Datasets.iris()).numExamples());
        assertEquals(0, OverparamData.duplicates(OverparamData.distinct(Datasets.iris())));
    }

    @Test
    void everyRunTakesHalfItsOwnStabilityEdge() {
        for (OverparamExperiment.Run r : result.runs()) {
            assertTrue(r.lambdaMax() > 0, r.labels() + " P/n=" + r.ratio());
            assertEquals(OverparamExperiment.Config.EDGE_FRACTION * 2 / r.lambdaMax(), r.step(), 1e-12);
            // a step below the edge: the loss falls (200 iterations)
            assertTrue(r.relativeFinalLoss() < 1, r.labels() + " P/n=" + r.ratio() + ": " + r.relativeFinalLoss());
        }
        assertEquals(4, result.runs().size());
    }

    private static OverparamExperiment.Run run(String labels, double ratio, boolean reached, double test) {
        int n = 100;
        return new OverparamExperiment.Run("D", labels, 1, Math.round(ratio * n), n, 7,
                new double[] {1, reached ? 1e-3 : 0.5}, reached ? 1 : 0.5, test, reached ? 1 : -1, 2, 0.5);
    }

    private static OverparamExperiment.Result handMade(double naturalFrom, double randomFrom) {
        List<OverparamExperiment.Run> runs = new java.util.ArrayList<>();
        for (double ratio : new double[] {0.3, 1, 3, 10, 30}) {
            runs.add(run("natural", ratio, ratio >= naturalFrom, 0.9));
            runs.add(run("random", ratio, ratio >= randomFrom, 0.3));
        }
        return new OverparamExperiment.Result(OverparamExperiment.Config.defaults(7), runs);
    }

    @Test
    void transitionClaimHoldsAndFailsOnHandMadeRuns() {
        Claim ok = OverparamClaims.transitions(handMade(0.3, 3));
        assertTrue(ok.holds(), ok.evidence().toString());
        assertTrue(ok.evidence().toString().contains("D, random labels: every run reaches it from P/n = 3.00 (P/n=0.30: 0/1"),
                ok.evidence().toString());
        assertTrue(!OverparamClaims.transitions(handMade(0.3, 30)).holds(), "random labels fitted only above 10");
        assertTrue(!OverparamClaims.transitions(handMade(0.3, 0.3)).holds(), "random labels fitted below P = n");
        assertTrue(!OverparamClaims.transitions(handMade(10, 3)).holds(), "natural later than random");
        List<Claim> all = OverparamClaims.evaluate(handMade(0.3, 3));
        assertEquals(3, all.size());
        assertTrue(all.get(0).holds() && all.get(1).holds() && all.get(2).holds(), all.toString());
        assertTrue(!OverparamClaims.evaluate(handMade(30, 3)).get(0).holds(), "natural P/n=10 not fitted");
    }

    @Test
    void sameSeedSameNumbers() throws Exception {
        OverparamExperiment.Config c = new OverparamExperiment.Config(new double[] {1}, false, 30, Double.NaN, 1, 1e-2,
                5, OverparamExperiment.Config.EDGE_FRACTION);
        List<OverparamExperiment.Split> data = List.of(OverparamExperiment.stratified("Iris", Datasets.iris(),
                2.0 / 3, 5));
        OverparamExperiment.Result a = OverparamExperiment.run(c, data, null);
        OverparamExperiment.Result b = OverparamExperiment.run(c, data, null);
        for (int i = 0; i < a.runs().size(); i++) {
            assertArrayEquals(a.runs().get(i).loss(), b.runs().get(i).loss(), 0);
        }
    }
}
