package io.github.adaloss.experiments.overparam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.realdata.Datasets;
import io.github.adaloss.experiments.section.Claim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The over-parameterization sweep: a tiny real run on two seeds (seeds 7 and 8, other than the report's 42:
 * distinct Iris at P/n 1 and 30, two paired random-label draws; Iris subsets n = 30, 60 for the scaling part), its
 * bookkeeping against DL4J replaying a run, and the claims on hand-made runs whose verdicts are known, so every
 * claim is seen to hold and to fail.
 */
class OverparamExperimentTest {

    private static OverparamExperiment.Config config;
    private static OverparamExperiment.Split iris;
    private static OverparamExperiment.Result result;

    @BeforeAll
    static void run() throws Exception {
        config = new OverparamExperiment.Config(new double[] {1, 30}, 2, 2, false, 1e-2, 20_000, 20, 0.9,
                new int[] {30, 60}, new double[] {1, 8}, 5_000, 7);
        iris = OverparamExperiment.stratified("Iris", OverparamData.distinct(Datasets.iris()), 2.0 / 3, 7);
        result = OverparamExperiment.run(config, List.of(iris), iris, null);
    }

    private static List<OverparamExperiment.Run> runs(String part, String labels, double minRatio) {
        return result.runs().stream().filter(r -> r.part().equals(part) && r.labels().equals(labels)
                && r.ratio() >= minRatio).toList();
    }

    @Test
    void runCountAndWidths() {
        // Iris n = 98: P(h) = h^2 + 9h + 3, P >= 98 -> h = 7 (P(6) = 93), P >= 2940 -> h = 50 (P(49) = 2845)
        assertArrayEquals(new int[] {7, 50}, OverparamExperiment.widths(config.ratios(), 98, 4, 3));
        // per width: 2 natural + 2 paired random runs; scaling: 2 widths x 2 random + 2 natural per n
        assertEquals(2 * 4 + 2 * (2 * 2 + 2), OverparamExperiment.runCount(config, List.of(iris), iris));
        assertEquals(2 * 4 + 2 * (2 * 2 + 2), result.runs().size());
    }

    @Test
    void naturalLabelsReachTheThresholdAtLargeRatioOnBothSeeds() {
        List<OverparamExperiment.Run> natural = runs(OverparamExperiment.RATIO, OverparamExperiment.NATURAL, 10);
        assertEquals(2, natural.size());
        assertEquals(2, natural.stream().mapToLong(OverparamExperiment.Run::seed).distinct().count());
        for (OverparamExperiment.Run r : natural) {
            assertTrue(r.reached() && r.iterations() > 0 && r.iterations() < 20_000, r.toString());
            assertTrue(r.finalRelative() <= 1e-2, r.toString());
            assertEquals(0.9 * 2 / r.lambdaMax(), r.step(), 1e-12);
        }
    }

    @Test
    void randomLabelCapIsTwentyTimesTheNaturalMedianAtTheSameWidth() {
        for (int h : new int[] {7, 50}) {
            List<OverparamExperiment.Run> natural = result.runs().stream().filter(r -> r.part().equals("ratio")
                    && r.hidden() == h && r.labels().equals("natural")).toList();
            double median = OverparamExperiment.medianIterations(natural);
            int expected = Double.isNaN(median) ? 20_000 : (int) Math.min(20_000, Math.ceil(20 * median));
            result.runs().stream().filter(r -> r.part().equals("ratio") && r.hidden() == h
                    && r.labels().equals("random")).forEach(r -> assertEquals(expected, r.cap(), r.toString()));
        }
        // the random labels differ from the natural ones and between the draws
        INDArray a = OverparamExperiment.randomLabels(98, 3, OverparamExperiment.drawSeed(config, 0));
        INDArray b = OverparamExperiment.randomLabels(98, 3, OverparamExperiment.drawSeed(config, 1));
        assertFalse(a.equals(b));
        assertEquals(98, a.sumNumber().intValue());
    }

    @Test
    void thresholdBookkeepingAgreesWithDl4jReplayingTheRun() throws Exception {
        OverparamExperiment.Run r = runs(OverparamExperiment.RATIO, OverparamExperiment.NATURAL, 10).get(0);
        DataSet train = new DataSet(iris.train().getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE),
                iris.train().getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
        PlainMlp init = PlainMlp.xavier(4, r.hidden(), 3, r.seed());
        MultiLayerNetwork net = PlainMlpTest.dl4j(init, r.step());
        double l0 = net.score(train);
        double previous = l0;
        for (int t = 0; t < r.iterations(); t++) {
            previous = net.score(train);
            net.fit(train);
        }
        double at = net.score(train);
        // DL4J's own loss crosses threshold x L(0) exactly at the reported iteration (relative slack 1e-6)
        assertTrue(at <= 1e-2 * l0 * (1 + 1e-6), at / l0 + " at " + r.iterations());
        assertTrue(previous > 1e-2 * l0 * (1 - 1e-6), previous / l0 + " at " + (r.iterations() - 1));
        assertEquals(r.finalRelative(), at / l0, 1e-6 * r.finalRelative());
    }

    @Test
    void scalingPartUsesNestedSubsetsAndCountsEquations() {
        List<OverparamExperiment.Run> s = result.runs().stream().filter(r -> r.part().equals("scaling")).toList();
        assertEquals(List.of(30, 60), s.stream().map(OverparamExperiment.Run::samples).distinct().sorted().toList());
        for (OverparamExperiment.Run r : s) {
            assertEquals(5_000, r.cap());
            assertEquals((double) r.parameters() / (r.samples() * 3), r.perEquation(), 1e-12);
        }
        // n = 30, P >= 1 * 30 * 3 = 90 -> h = 6 (P(5) = 73, P(6) = 93); P >= 8 * 90 = 720 -> h = 23 (P(22) = 685)
        assertEquals(List.of(6, 23), s.stream().filter(r -> r.samples() == 30).map(OverparamExperiment.Run::hidden)
                .distinct().sorted().toList());
        // natural reference runs at the largest width of each n
        assertEquals(4, s.stream().filter(r -> r.labels().equals("natural")).count());
    }

    @Test
    void sameSeedSameNumbers() {
        OverparamExperiment.Config c = new OverparamExperiment.Config(new double[] {3}, 1, 1, false, 1e-2, 200, 20,
                0.9, new int[0], new double[0], 1, 5);
        OverparamExperiment.Result a = OverparamExperiment.run(c, List.of(iris), null, null);
        OverparamExperiment.Result b = OverparamExperiment.run(c, List.of(iris), null, null);
        assertEquals(a.runs(), b.runs());
    }

    @Test
    void badConfigNamesTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new OverparamExperiment.Config(new double[] {1}, 3, 2, false, 1e-2, 10, 20, 0.9, new int[0],
                        new double[0], 1, 1));
        assertTrue(e.getMessage().contains("draws"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OverparamExperiment.Config(new double[] {1}, 1,
                1, false, 1.5, 10, 20, 0.9, new int[0], new double[0], 1, 1));
        assertTrue(e.getMessage().contains("threshold: 1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OverparamExperiment.run(config, List.of(),
                new OverparamExperiment.Split("tiny", iris.test(), iris.test()), null));
    }

    @Test
    void stratifiedSplitKeepsTwoThirdsOfEveryClass() throws Exception {
        OverparamExperiment.Split s = OverparamExperiment.stratified("Iris", Datasets.iris(), 2.0 / 3, 42);
        assertEquals(99, s.train().numExamples());
        assertArrayEquals(new double[] {33, 33, 33}, s.train().getLabels().sum(0).toDoubleVector(), 0);
    }

    @Test
    void poolingAveragesBlocksAndIrisHasThreeDuplicates() throws Exception {
        double[] img = new double[16];
        for (int i = 0; i < 16; i++) {
            img[i] = i;
        }
        INDArray pooled = OverparamExperiment.pool(Nd4j.createFromArray(new double[][] {img}), 2);
        assertArrayEquals(new double[] {2.5, 4.5, 10.5, 12.5}, pooled.toDoubleVector(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> OverparamExperiment.pool(Nd4j.zeros(1, 15), 2));
        assertEquals(3, OverparamData.duplicates(Datasets.iris()));
        assertEquals(147, OverparamData.distinct(Datasets.iris()).numExamples());
    }

    // ---- claims on hand-made runs ----

    private static OverparamExperiment.Run made(String part, String labels, int draw, int n, int k, long p,
                                                boolean reached, double test) {
        return new OverparamExperiment.Run("D", part, labels, draw, 1, p, n, k, draw < 0 ? 1 : draw, 100,
                reached ? 50 : -1, reached ? 1e-3 : 0.5, 1, test, 2, 0.9);
    }

    /** Ratio part on n = 100, k = 3 at P/n 1, 10, 30; scaling part with P* = c n^power at n = 50, 100, 200. */
    private static OverparamExperiment.Result made(boolean randomFitted, double power, double[] drawTests) {
        List<OverparamExperiment.Run> runs = new ArrayList<>();
        for (long p : new long[] {100, 1000, 3000}) {
            for (int s = 0; s < 3; s++) {
                runs.add(made("ratio", "natural", -1, 100, 3, p, true, 0.95));
                runs.add(made("ratio", "random", s, 100, 3, p, p >= 1000 && randomFitted, drawTests[s]));
            }
        }
        for (int n : new int[] {50, 100, 200}) {
            long needed = Math.round(10 * Math.pow(n, power));
            for (double m : new double[] {0.5, 1, 2}) {
                for (int s = 0; s < 3; s++) {
                    runs.add(made("scaling", "random", s, n, 10, Math.round(m * needed), m >= 1, 0.09 + 0.01 * s));
                }
            }
            runs.add(made("scaling", "natural", -1, n, 10, 2 * needed, true, 0.6));
        }
        return new OverparamExperiment.Result(OverparamExperiment.Config.defaults(42), runs);
    }

    @Test
    void claimsHoldAndFailOnHandMadeRuns() {
        double[] fair = {0.30, 0.36, 0.34};
        List<Claim> ok = OverparamClaims.evaluate(made(true, 1, fair));
        assertEquals(5, ok.size());
        for (Claim c : ok) {
            assertEquals(Claim.Status.PASS, c.status(), c.toString());
            assertEquals(Claim.Kind.PAPER, c.kind());
        }
        assertEquals(1.0, (double) ok.get(2).evidence().get("slope"), 1e-3);
        assertEquals(Map.of(50, 50.0, 100, 50.0, 200, 50.0), OverparamClaims.timesAtLargestP(made(true, 1, fair)));
        assertEquals(Claim.Status.FAIL, OverparamClaims.evaluate(made(false, 1, fair)).get(1).status());
        // P* growing like n^2: slope 2 > 1.25
        Claim quadratic = OverparamClaims.scaling(made(true, 2, fair));
        assertEquals(Claim.Status.FAIL, quadratic.status());
        assertEquals(2.0, (double) quadratic.evidence().get("slope"), 1e-3);
        // one draw's accuracy far from the others: chance 1/3 outside the interval of {0.10, 0.12, 0.11}
        assertEquals(Claim.Status.FAIL, OverparamClaims.chance(made(true, 1, new double[] {0.10, 0.12, 0.11}))
                .status());
        // natural 0.95 vs random 0.70: the gap 0.25 is below 0.3
        assertEquals(Claim.Status.FAIL, OverparamClaims.gap(made(true, 1, new double[] {0.7, 0.7, 0.7})).status());
    }

    @Test
    void neededIsTheSmallestPFromWhichEveryLargerPFits() {
        List<OverparamExperiment.Run> runs = new ArrayList<>();
        // P = 10 fits, 20 does not, 40 and 80 fit: P* = 40
        for (long p : new long[] {10, 20, 40, 80}) {
            runs.add(made("scaling", "random", 0, 5, 2, p, p != 20, 0.5));
        }
        TreeMap<Integer, Double> needed = OverparamClaims.needed(new OverparamExperiment.Result(config, runs));
        assertEquals(Map.of(5, 40.0), needed);
        // closed form: P = 3 n^0.7 exactly -> slope 0.7
        assertEquals(0.7, OverparamClaims.slope(Map.of(10, 3 * Math.pow(10, 0.7), 40, 3 * Math.pow(40, 0.7),
                160, 3 * Math.pow(160, 0.7))), 1e-12);
        assertEquals(4.303, OverparamClaims.tQuantile(2), 0);
    }
}
