package io.github.adaloss.updater;

import static io.github.adaloss.testing.Assertions2.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisData;
import io.github.adaloss.testing.OptimizerCase;
import io.github.adaloss.testing.SameDiffMlp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * The key SameDiff check: the same MLP (same initial weights, same mini-batches, same mean cross-entropy) trained
 * as a MultiLayerNetwork with {@link LossFeedListener} and as a SameDiff graph with
 * {@link SameDiffLossFeedListener} gives the same loss, the same accumulator {@code b} and the same parameters
 * after every one of 20 steps, for every optimizer of the library (float64, so that the two engines' different
 * kernels for softmax cross-entropy agree to about 1e-15 per step).
 */
class SameDiffEquivalenceTest {

    static final int STEPS = 20;

    static List<OptimizerCase> cases() {
        return OptimizerCase.all();
    }

    /** @return 5 shuffled mini-batches of 30 Iris examples (float64) */
    static List<DataSet> batches() {
        DataSet all = IrisData.standardized(DataType.DOUBLE);
        all.shuffle(7);
        return all.batchBy(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameLossesAccumulatorAndParametersAsMultiLayerNetwork(OptimizerCase c) {
        compare(c, 0);
    }

    /**
     * Weight decay is added after the updater (DL4J's POST_UPDATER step) and is part of the loss: the deferred
     * commit re-applies it in SameDiff's order, so the equality holds with it too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameWithWeightDecay(OptimizerCase c) {
        compare(c, 1e-2);
    }

    /**
     * HeavyBall needs no loss: without the listener SameDiff applies it in-line, variable by variable, and the
     * result is still the MultiLayerNetwork's (a variable's gradient is final only after every op reading it ran).
     */
    @Test
    void heavyBallWithoutListenerIsSameDiffsInlineUpdate() {
        List<DataSet> batches = batches();
        MultiLayerNetwork net = SameDiffMlp.network(new HeavyBall(0.05, 0.8), DataType.DOUBLE);
        SameDiff sd = SameDiffMlp.graph(net, new HeavyBall(0.05, 0.8));
        for (int t = 0; t < STEPS; t++) {
            net.fit(batches.get(t % batches.size()));
            sd.fit(batches.get(t % batches.size()));
            assertRelClose(SameDiffMlp.networkParams(net), SameDiffMlp.graphParams(sd), 1e-12, "step " + t);
        }
    }

    /**
     * The recovery makes the same decisions on both paths: a NaN batch at step 4 and an exploding one (features
     * times 1e4) at step 8 are rejected by both, rolled back to the same snapshot with the same grown {@code b}, and
     * training goes on identically.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("accumulatorCases")
    void sameRecoveryAsMultiLayerNetwork(OptimizerCase c) {
        List<DataSet> batches = batches();
        MultiLayerNetwork net = SameDiffMlp.network(c.config().get(), DataType.DOUBLE);
        LossFeedListener netFeed = new LossFeedListener();
        net.addListeners(netFeed);
        SameDiff sd = SameDiffMlp.graph(net, c.config().get());
        SameDiffLossFeedListener feed = new SameDiffLossFeedListener();
        sd.addListeners(feed);
        for (int t = 0; t < 14; t++) {
            DataSet batch = batches.get(t % batches.size());
            if (t == 4) {
                batch = batch.copy();
                batch.getFeatures().putScalar(3, 1, Double.NaN);
            } else if (t == 8) {
                batch = new DataSet(batch.getFeatures().mul(1e4), batch.getLabels());
            }
            net.fit(batch);
            sd.fit(batch);
            String at = c + " step " + t;
            assertEquals(netFeed.getRecoveryCount(), feed.getRecoveryCount(), at + ": rejections");
            assertRelClose(AdaptiveSteps.accumulator(net).getAsDouble(), AdaptiveSteps.accumulator(sd).getAsDouble(),
                    1e-12, at + ": b");
            assertRelClose(SameDiffMlp.networkParams(net), SameDiffMlp.graphParams(sd), 1e-12, at + ": parameters");
        }
        assertEquals(2, feed.getRecoveryCount(), "both bad batches were rejected");
    }

    /** An iteration-based learning-rate schedule: SameDiff and DL4J pass the same iteration to the updaters. */
    @Test
    void sameWithAnIterationSchedule() {
        compare(new OptimizerCase("AdaLoss with a schedule",
                () -> new AdaLoss(new StepSchedule(
                        ScheduleType.ITERATION, 1.0, 0.5, 5)), null), 0);
    }

    /**
     * Two loss variables (cross-entropy plus a mean squared error on the softmax): SameDiff minimizes their sum, and
     * one AdaLoss step is {@code b_1^2 = b0^2 + alpha |l_ce + l_mse|}, {@code w_1 = w_0 - (eta / b_1) g} with
     * {@code g} SameDiff's own gradient of the sum at {@code w_0} (closed form, no MultiLayerNetwork involved).
     */
    @Test
    void twoLossVariablesOneStepClosedForm() {
        DataSet batch = batches().get(0);
        AdaLoss adaLoss = AdaLoss.builder().learningRate(0.3).b0(0.7).alpha(0.5).build();
        SameDiff sd = SameDiffMlp.graph(SameDiffMlp.network(adaLoss, DataType.DOUBLE), adaLoss);
        SDVariable logits = sd.getVariable("loss").getCreator().arg(1);
        sd.addLossVariable(sd.math.squaredDifference(sd.nn.softmax(logits), sd.getVariable("label")).mean("mse"));
        assertEquals(List.of("loss", "mse"), sd.getLossVariables());
        Map<String, INDArray> placeholders = Map.of("in", batch.getFeatures(), "label", batch.getLabels());
        Map<String, INDArray> losses = sd.output(placeholders, "loss", "mse");
        double l0 = losses.get("loss").getDouble(0) + losses.get("mse").getDouble(0);
        Map<String, INDArray> g = sd.calculateGradients(placeholders, SameDiffMlp.VARIABLES);
        Map<String, double[]> w0 = new HashMap<>();
        for (String v : SameDiffMlp.VARIABLES) {
            w0.put(v, flat(sd.getVariable(v).getArr()));
        }
        SameDiffLossFeedListener feed = new SameDiffLossFeedListener();
        sd.addListeners(feed);
        sd.fit(batch);
        double b1 = Math.sqrt(0.7 * 0.7 + 0.5 * l0);
        assertRelClose(l0, feed.lastLoss(sd), 1e-14, "l_0 = l_ce + l_mse");
        assertRelClose(b1, AdaptiveSteps.accumulator(sd).getAsDouble(), 1e-14, "b_1");
        for (String v : SameDiffMlp.VARIABLES) {
            double[] grad = flat(g.get(v));
            double[] expected = w0.get(v).clone();
            for (int i = 0; i < expected.length; i++) {
                expected[i] -= 0.3 / b1 * grad[i];
            }
            assertRelClose(expected, flat(sd.getVariable(v).getArr()), 1e-13, v);
        }
    }

    private static double[] flat(INDArray a) {
        return a.dup('c').reshape(a.length()).toDoubleVector();
    }

    static List<OptimizerCase> accumulatorCases() {
        return OptimizerCase.all().stream().filter(c -> !c.name().equals("HeavyBall")).toList();
    }

    private static void compare(OptimizerCase c, double weightDecay) {
        List<DataSet> batches = batches();
        MultiLayerNetwork net = SameDiffMlp.network(c.config().get(), DataType.DOUBLE, weightDecay);
        net.addListeners(new LossFeedListener());
        SameDiff sd = SameDiffMlp.graph(net, c.config().get(), weightDecay);
        SameDiffLossFeedListener feed = new SameDiffLossFeedListener();
        sd.addListeners(feed);
        assertRelClose(SameDiffMlp.networkParams(net), SameDiffMlp.graphParams(sd), 0, "initial weights");
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        for (int t = 0; t < STEPS; t++) {
            DataSet batch = batches.get(t % batches.size());
            net.fit(batch);
            sd.fit(batch);
            String at = c + " step " + t;
            if (c.name().startsWith("HeavyBall")) {
                assertTrue(Double.isNaN(feed.lastLoss(sd)), at + ": HeavyBall without recovery needs no loss");
            } else {
                assertRelClose(net.score(), feed.lastLoss(sd), 1e-12, at + ": loss");
            }
            if (AdaptiveSteps.accumulator(net).isPresent()) {
                assertRelClose(AdaptiveSteps.accumulator(net).getAsDouble(),
                        AdaptiveSteps.accumulator(sd).getAsDouble(), 1e-12, at + ": b");
            } else {
                assertTrue(AdaptiveSteps.accumulator(sd).isEmpty(), at + ": no accumulator");
            }
            assertRelClose(SameDiffMlp.networkParams(net), SameDiffMlp.graphParams(sd), 1e-12, at + ": parameters");
            firstLoss = t == 0 ? net.score() : firstLoss;
            lastLoss = net.score();
        }
        assertEquals(STEPS, sd.getTrainingConfig().getIterationCount());
        assertEquals(0, feed.getRecoveryCount(), "no step of this run overshoots");
        assertEquals(AdaptiveSteps.recoveries(net), AdaptiveSteps.recoveries(sd));
        assertTrue(lastLoss < firstLoss, c + ": training lowers the loss (" + firstLoss + " -> " + lastLoss + ")");
    }
}
