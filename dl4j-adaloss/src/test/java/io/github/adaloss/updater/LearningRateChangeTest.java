package io.github.adaloss.updater;

import static io.github.adaloss.testing.Assertions2.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisData;
import io.github.adaloss.testing.StepRecorder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@code MultiLayerNetwork.setLearningRate}, whole network and per layer: b is kept, the new eta is used. */
class LearningRateChangeTest {

    private static MultiLayerNetwork net(IUpdater u) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6)
                .dataType(DataType.DOUBLE).updater(u).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.addListeners(new LossFeedListener());
        return net;
    }

    @Test
    void wholeNetworkLearningRateChangeKeepsBAndUsesTheNewEta() {
        for (IUpdater u : new IUpdater[] {new AdaLoss(0.5, 1), new AdamLoss(0.05, 1), new AdaGradNorm(0.5, 1)}) {
            check(u, net -> net.setLearningRate(0.125), new double[] {0.125, 0.125});
        }
    }

    /** Per layer: refused with a clear error before anything changes (parameters, state, configuration). */
    @Test
    void perLayerLearningRateChangeIsRefusedBeforeAnythingChanges() {
        DataSet ds = IrisData.standardized(DataType.DOUBLE);
        for (IUpdater u : new IUpdater[] {new AdaLoss(0.5, 1), new AdamLoss(0.05, 1), new AdaGradNorm(0.5, 1)}) {
            MultiLayerNetwork net = net(u);
            net.fit(ds);
            net.fit(ds);
            double[] params = net.params().toDoubleVector();
            double[] state = net.getUpdater().getStateViewArray().toDoubleVector();
            Object updater = net.getUpdater();
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> net.setLearningRate(1, 0.125));
            assertTrue(e.getMessage().contains("one layer") && e.getMessage().contains("nothing was changed"),
                    e.getMessage());
            assertSame(updater, net.getUpdater(), u + ": updater not replaced");
            assertArrayEquals(params, net.params().toDoubleVector(), 0.0);
            assertArrayEquals(state, net.getUpdater().getStateViewArray().toDoubleVector(), 0.0);
            assertEquals(u.getLearningRate(0, 0), net.getLayer(1).conf().getLayer().getUpdaterByParam("W")
                    .getLearningRate(0, 0), 0.0, u + ": configuration unchanged");
            net.fit(ds);
        }
    }

    /** AdaLoss/AdaGradNorm: one step after the change against the closed form from DL4J's gradient. */
    private static void check(IUpdater u, java.util.function.Consumer<MultiLayerNetwork> change, double[] etas) {
        DataSet ds = IrisData.standardized(DataType.DOUBLE);
        MultiLayerNetwork net = net(u);
        for (int t = 0; t < 3; t++) {
            net.fit(ds);
        }
        double b = AdaptiveSteps.accumulator(net).getAsDouble();
        double[] state = net.getUpdater().getStateViewArray().toDoubleVector();
        change.accept(net);
        assertEquals(b, AdaptiveSteps.accumulator(net).getAsDouble(), 0.0, u + ": b kept");
        double[] stateAfter = net.getUpdater().getStateViewArray().toDoubleVector();
        double sumBefore = java.util.Arrays.stream(state).sum();
        double sumAfter = java.util.Arrays.stream(stateAfter).sum();
        assertEquals(sumBefore, sumAfter, 1e-12 * Math.abs(sumBefore), u + ": updater state kept");
        StepRecorder rec = new StepRecorder();
        net.addListeners(rec);
        net.fit(ds);
        if (u instanceof AdamLoss) {
            return;
        }
        double[] before = rec.params.get(0);
        double[] g = rec.gradients.get(0);
        int batch = ds.numExamples();
        double sq = 0;
        for (double gi : g) {
            sq += (gi / batch) * (gi / batch);
        }
        double b2 = b * b + (u instanceof AdaLoss ? rec.losses.get(0) : sq);
        double[] after = net.params().toDoubleVector();
        int layer0 = 4 * 5 + 5;
        for (int i = 0; i < after.length; i++) {
            double eta = i < layer0 ? etas[0] : etas[1];
            assertRelClose(before[i] - eta / Math.sqrt(b2) * g[i] / batch, after[i], 1e-9, u + " parameter " + i);
        }
    }
}
