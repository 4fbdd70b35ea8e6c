package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisRegression;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Issue 21, defect 2: the explosion test compared each loss with ten times the largest accepted loss, so a
 * near-zero first loss (an already fitted mini-batch, 3e-9) made every later ordinary loss (1.34) an "explosion":
 * 20 rejections, b from 0.5 to 5.2e5, and NonFiniteValueException for a finite loss. The rule of {@link Recovery}
 * (a running typical loss with the floor b0^2 / alpha, and never an explosion at the snapshot's own parameters)
 * must train through it.
 */
class ExplosionRuleTest {

    private static final DataSet IRIS = IrisRegression.data(DataType.DOUBLE);

    /** A linear 3-1 MSE model (one OutputLayer). */
    private static MultiLayerNetwork linear(IUpdater u) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).updater(u).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.addListeners(new LossFeedListener());
        return net;
    }

    /** Labels the network already fits, shifted by {@code offset}: the MSE loss is exactly offset^2. */
    private static DataSet shifted(MultiLayerNetwork net, INDArray x, double offset) {
        return new DataSet(x, net.output(x).addi(offset));
    }

    private static void firstTinyThenOrdinary(double b0) {
        MultiLayerNetwork net = linear(new AdaLoss(0.5, b0));
        INDArray xa = IRIS.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 50),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray xb = IRIS.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(50, 150),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        DataSet tiny = shifted(net, xa, 5.514e-5);
        DataSet ordinary = shifted(net, xb, Math.sqrt(1.34));
        assertEquals(3.04e-9, net.score(tiny), 1e-11, "the fitted first batch");
        assertEquals(1.34, net.score(ordinary), 1e-9, "the ordinary batch");
        net.fit(tiny);
        for (int t = 0; t < 60; t++) {
            net.fit(ordinary); // threw NonFiniteValueException "gave up after 20" before the fix
        }
        long rejections = AdaptiveSteps.recoveries(net).getAsLong();
        // measured: 0 rejections with b0 = 0.5 (the floor b0^2 = 0.25 covers 1.34 / 10); 1 with b0 = 0.1, after
        // which the loss at the snapshot's parameters is accepted and becomes the typical loss
        assertTrue(rejections <= 1, "b0 " + b0 + ": rejections " + rejections);
        assertTrue(AdaptiveSteps.accumulator(net).getAsDouble() < 10, "b stays at the scale of the losses");
        assertTrue(net.score(ordinary) < 1e-2 * 1.34, "b0 " + b0 + ": trains, loss " + net.score(ordinary));
    }

    @Test
    void tinyFirstLossDoesNotArmTheExplosionTest() {
        firstTinyThenOrdinary(0.5);
    }

    @Test
    void tinyFirstLossWithSmallB0CostsAtMostOneRejection() {
        firstTinyThenOrdinary(0.1);
    }

    /** Fine-tuning: 30 steps on a batch the network fits (losses ~1e-9), then a new task at loss ~1. */
    @Test
    void fineTuningAFittedNetworkTrains() {
        for (IUpdater u : new IUpdater[] {new AdaLoss(0.3, 1), new AdamLoss(0.01, 1), new AdaGradNorm(0.3, 1)}) {
            MultiLayerNetwork net = IrisRegression.net(u, DataType.DOUBLE, Activation.TANH, new LossFeedListener());
            DataSet fitted = new DataSet(IRIS.getFeatures(), net.output(IRIS.getFeatures()).addi(3e-5));
            for (int t = 0; t < 30; t++) {
                net.fit(fitted);
            }
            double start = net.score(IRIS);
            for (int t = 0; t < 200; t++) {
                net.fit(IRIS);
            }
            // before the fix: NonFiniteValueException after 20 rejections of the first loss of the new task
            long rejections = AdaptiveSteps.recoveries(net).getAsLong();
            assertTrue(rejections <= 2, u + ": rejections " + rejections);
            assertTrue(net.score(IRIS) < 0.5 * start, u + ": " + start + " -> " + net.score(IRIS));
        }
    }

    /** A real overshoot is still rejected: a loss 1e6 times the typical loss, measured after an update. */
    @Test
    void anOvershootAfterTrainingIsStillRejected() {
        MultiLayerNetwork net = IrisRegression.net(new AdaLoss(0.3, 1), DataType.DOUBLE, Activation.TANH,
                new LossFeedListener(Recovery.builder().snapshotEvery(1).build()));
        for (int t = 0; t < 19; t++) {
            net.fit(IRIS);
        }
        double[] atSnapshot = net.params().toDoubleVector();
        net.fit(IRIS);
        DataSet spike = new DataSet(IRIS.getFeatures(), IRIS.getLabels().mul(1e3));
        net.fit(spike);
        assertEquals(1, AdaptiveSteps.recoveries(net).getAsLong());
        org.junit.jupiter.api.Assertions.assertArrayEquals(atSnapshot, net.params().toDoubleVector(), 0.0,
                "rolled back to the snapshot taken before the last accepted update");
    }
}
