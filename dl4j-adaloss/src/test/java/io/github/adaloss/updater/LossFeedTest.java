package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.LinearRegressionFixture;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/** The loss feed: required where it must be, fail-fast messages, atomic rejection of non-finite steps. */
class LossFeedTest {

    private final LinearRegressionFixture fx = new LinearRegressionFixture(11);

    private MultiLayerNetwork withoutFeed(IUpdater u) {
        MultiLayerNetwork net = fx.multiLayerNetwork(u);
        net.setListeners();
        return net;
    }

    @Test
    void missingFeedFailsAtFirstStepWithTheFix() {
        for (IUpdater u : new IUpdater[] {new AdaLoss(), new AdaGradNorm(), new AdamLoss()}) {
            MultiLayerNetwork net = withoutFeed(u);
            INDArray before = net.params().dup();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.fit(fx.dataSet()));
            assertTrue(e.getMessage().contains("net.addListeners(new io.github.adaloss.updater.LossFeedListener())"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("iteration 0"), e.getMessage());
            assertEquals(before, net.params(), u + ": parameters must be unchanged");
        }
    }

    @Test
    void heavyBallNeedsNoFeedAndGivesTheSameResultWithIt() {
        MultiLayerNetwork plain = withoutFeed(new HeavyBall(0.05, 0.8));
        MultiLayerNetwork fed = fx.multiLayerNetwork(new HeavyBall(0.05, 0.8));
        for (int i = 0; i < 5; i++) {
            plain.fit(fx.dataSet());
            fed.fit(fx.dataSet());
        }
        assertArrayEquals(plain.params().toDoubleVector(), fed.params().toDoubleVector(), 0.0);
        assertNotEquals(fx.multiLayerNetwork(new HeavyBall()).params(), plain.params(), "it trained");
    }

    @Test
    void nonFiniteLossOrGradientRejectsTheStepAndLeavesEverythingUnchanged() {
        for (IUpdater u : new IUpdater[] {new AdaLoss(), new AdaGradNorm(), new AdamLoss(), new HeavyBall()}) {
            MultiLayerNetwork net = fx.multiLayerNetwork(u);
            net.setListeners(new LossFeedListener(Recovery.failFast()));
            net.fit(fx.dataSet());
            net.fit(fx.dataSet());
            INDArray params = net.params().dup();
            INDArray state = net.getUpdater().getStateViewArray().dup();
            DataSet bad = fx.dataSet();
            bad.getLabels().putScalar(2, 0, Double.NaN);
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> net.fit(bad), u::toString);
            assertEquals(2, e.getIteration());
            assertTrue(e.getMessage().startsWith("iteration 2: "), e.getMessage());
            assertEquals(params, net.params(), u + ": parameters unchanged");
            assertEquals(state, net.getUpdater().getStateViewArray(), u + ": updater state unchanged");
            net.fit(fx.dataSet());
            assertTrue(Double.isFinite(net.score()), u + ": training continues after the rejected step");
        }
    }

    @Test
    void nanInTheSecondAdaGradNormBlockLeavesTheFirstBlockUntouched() {
        AdaGradNorm config = new AdaGradNorm(0.1, 1.0);
        INDArray firstView = Nd4j.zeros(1, config.stateSize(3));
        NetworkStepUpdater<?> first = (NetworkStepUpdater<?>) config.instantiate(firstView, true);
        INDArray firstViewBefore = firstView.dup();
        NetworkStepUpdater<?> second = (NetworkStepUpdater<?>) config.instantiate(Nd4j.zeros(1, config.stateSize(2)), true);
        NetworkStep.open(0, 1.5, List.of(new NetworkStep.Member(first, "[first]"), new NetworkStep.Member(second, "[second]")));
        INDArray g1 = Nd4j.create(new double[] {1, 2, 3});
        first.applyUpdater(g1, 0, 0);
        INDArray firstState = first.getState().get("B2").dup();
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
                () -> second.applyUpdater(Nd4j.create(new double[] {1, Double.POSITIVE_INFINITY}), 0, 0));
        assertTrue(e.getMessage().contains("[second]"), e.getMessage());
        assertEquals(Nd4j.create(new double[] {1, 2, 3}), g1, "first block's gradient not yet transformed");
        assertEquals(firstState, first.getState().get("B2"));
        assertEquals(1.0, first.currentB(), 0.0);
        assertEquals(firstViewBefore, firstView, "first block's whole state (moments and b) untouched");
    }

    @Test
    void blocksWithDifferentAccumulatorsAreRejected() {
        IUpdater a = new AdaLoss(1, 1);
        IUpdater b = new AdaLoss(1, 2);
        NetworkStepUpdater<?> u1 = (NetworkStepUpdater<?>) a.instantiate(Nd4j.zeros(1, 2), true);
        NetworkStepUpdater<?> u2 = (NetworkStepUpdater<?>) b.instantiate(Nd4j.zeros(1, 2), true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NetworkStep.open(0, 1.0,
                List.of(new NetworkStep.Member(u1, "[layer 0]"), new NetworkStep.Member(u2, "[layer 1]"))));
        assertTrue(e.getMessage().contains("[layer 0]") && e.getMessage().contains("[layer 1]"), e.getMessage());
    }

    @Test
    void adaptiveStepsReportsTheSharedAccumulator() {
        MultiLayerNetwork net = fx.multiLayerNetwork(new AdaLoss(2.0, 0.5));
        assertEquals(0.5, AdaptiveSteps.accumulator(net).getAsDouble(), 1e-15);
        assertEquals(4.0, AdaptiveSteps.currentStep(net).getAsDouble(), 1e-15);
        double loss = fx.loss(net.params().toDoubleVector());
        net.fit(fx.dataSet());
        double b = Math.sqrt(0.25 + loss);
        assertEquals(b, AdaptiveSteps.accumulator(net).getAsDouble(), 1e-12);
        assertEquals(2.0 / b, AdaptiveSteps.currentStep(net).getAsDouble(), 1e-12);
        assertTrue(AdaptiveSteps.accumulator(fx.multiLayerNetwork(new HeavyBall())).isEmpty());
        assertEquals(DataType.DOUBLE, net.params().dataType());
    }
}
