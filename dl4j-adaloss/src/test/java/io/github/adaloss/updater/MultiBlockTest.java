package io.github.adaloss.updater;

import static io.github.adaloss.testing.Assertions2.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisData;
import io.github.adaloss.testing.StepRecorder;
import io.github.adaloss.testing.LinearRegressionFixture;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One accumulator per network although DL4J splits the parameters into several updater blocks (frozen layer,
 * BatchNorm statistics, per-layer configurations).
 */
class MultiBlockTest {

    private static MultiLayerNetwork frozenAndBatchNorm(IUpdater updater) {
        MultiLayerNetwork base = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().nOut(8).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        base.init();
        MultiLayerNetwork net = new TransferLearning.Builder(base).setFeatureExtractor(0).build();
        net.addListeners(new LossFeedListener());
        return net;
    }

    @Test
    void adaLossAndAdaGradNormShareOneAccumulatorAcrossFrozenAndBatchNormBlocks() {
        DataSet ds = IrisData.standardized(DataType.DOUBLE);
        int batch = ds.numExamples();
        for (AccumulatorConfig config : new AccumulatorConfig[] {new AdaLoss(0.5, 0.3), new AdaGradNorm(0.5, 0.3)}) {
            MultiLayerNetwork net = frozenAndBatchNorm(config);
            StepRecorder rec = new StepRecorder();
            net.addListeners(rec);
            List<UpdaterBlock> blocks = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks();
            List<UpdaterBlock> ours = blocks.stream()
                    .filter(b -> b.getGradientUpdater() instanceof NetworkStepUpdater<?>).toList();
            assertTrue(blocks.size() >= 4, "frozen + BatchNorm split the network, got " + blocks.size());
            assertEquals(2, ours.size(), "BatchNorm gamma/beta and the dense layers after it");
            double b2 = 0.3 * 0.3;
            for (int t = 0; t < 6; t++) {
                net.fit(ds);
                double[] g = rec.gradients.get(t);
                double[] before = rec.params.get(t);
                double[] after = net.params().toDoubleVector();
                double squaredNorm = 0;
                for (UpdaterBlock b : ours) {
                    for (int i = b.getParamOffsetStart(); i < b.getParamOffsetEnd(); i++) {
                        squaredNorm += (g[i] / batch) * (g[i] / batch);
                    }
                }
                b2 += config instanceof AdaLoss ? Math.abs(rec.losses.get(t)) : squaredNorm;
                double step = 0.5 / Math.sqrt(b2);
                for (UpdaterBlock b : blocks) {
                    NetworkStepUpdater<?> u = b.getGradientUpdater() instanceof NetworkStepUpdater<?> n ? n : null;
                    for (int i = b.getParamOffsetStart(); i < b.getParamOffsetEnd(); i++) {
                        if (u != null) {
                            assertRelClose(before[i] - step * g[i] / batch, after[i], 1e-9,
                                    config + " param " + i + " at step " + t);
                        } else if (b.getLayersAndVariablesInBlock().get(0).getLayer().getConfig().getLayerName()
                                .equals(blocks.get(0).getLayersAndVariablesInBlock().get(0).getLayer().getConfig()
                                        .getLayerName())) {
                            assertEquals(before[i], after[i], 0.0, "frozen layer parameter " + i);
                        }
                    }
                    if (u != null) {
                        assertRelClose(Math.sqrt(b2), u.currentB(), 1e-12, config + " b of every block, step " + t);
                    }
                }
            }
        }
    }

    /** Regularization settings under which splitting into blocks must change nothing. */
    private enum Reg {
        NONE, WEIGHT_DECAY, L1, L2, ALL;

        NeuralNetConfiguration.Builder apply(NeuralNetConfiguration.Builder b) {
            return switch (this) {
                case NONE -> b;
                case WEIGHT_DECAY -> b.weightDecay(0.05);
                case L1 -> b.l1(0.01);
                case L2 -> b.l2(0.05);
                case ALL -> b.weightDecay(0.05).l1(0.01).l2(0.05);
            };
        }
    }

    /**
     * One block vs two blocks (the second layer's updater is equal in maths but not {@code equals}): identical
     * parameters after 8 steps (bit for bit except AdaGrad-Norm, whose norm is summed per block), for every updater
     * and regularization. Before the fix, DL4J's weight decay of the
     * first block was folded into the deferred gradient (||dp|| = 0.077 for AdaLoss in the example).
     */
    @Test
    void splittingIntoBlocksChangesNothing() {
        DataSet ds = IrisData.standardized(DataType.DOUBLE);
        for (Reg reg : Reg.values()) {
            for (IUpdater u : new IUpdater[] {new AdaLoss(0.5, 1), new AdaGradNorm(0.5, 1), new AdamLoss(0.05, 1),
                    new HeavyBall(0.1, 0.9)}) {
                MultiLayerNetwork single = twoLayer(u, u, reg);
                MultiLayerNetwork split = twoLayer(u, LinearRegressionFixture.splitVariant(u), reg);
                assertEquals(1, ((BaseMultiLayerUpdater<?>) single.getUpdater()).getUpdaterBlocks().size());
                assertEquals(2, ((BaseMultiLayerUpdater<?>) split.getUpdater()).getUpdaterBlocks().size());
                for (int t = 0; t < 8; t++) {
                    single.fit(ds);
                    split.fit(ds);
                }
                // AdaGrad-Norm sums the squared norm block by block: equal up to rounding (the defect was 0.08)
                assertArrayEquals(single.params().toDoubleVector(), split.params().toDoubleVector(),
                        u instanceof AdaGradNorm ? 1e-13 : 0.0,
                        u + " " + reg + ": one block and two blocks must give identical parameters");
            }
        }
    }

    /**
     * Weight decay semantics, against DL4J's own {@code Sgd} and a closed form: one AdaLoss step is
     * {@code w - (eta / b_1) g - k eta lambda w}, DL4J's decoupled decay with the NOMINAL learning rate {@code eta}
     * (not {@code eta / b}), for the weights of both blocks (biases are not decayed by default), exactly the decay
     * DL4J's Sgd at learning rate {@code eta} applies. {@code k} is the number of {@code WeightDecay} entries DL4J
     * lists for the parameter: in M2.1 this configuration lists {@code weightDecay(0.05)} twice, so the decay
     * is applied twice, by Sgd as well.
     */
    @Test
    void weightDecayUsesTheNominalLearningRateInEveryBlock() {
        DataSet ds = IrisData.standardized(DataType.DOUBLE);
        int batch = ds.numExamples();
        double eta = 0.5;
        double lambda = 0.05;
        MultiLayerNetwork sgd = twoLayer(new Sgd(eta), new Sgd(eta), Reg.WEIGHT_DECAY);
        StepRecorder sgdRec = new StepRecorder();
        sgd.addListeners(sgdRec);
        sgd.fit(ds);
        AdaLoss u = new AdaLoss(eta, 1);
        MultiLayerNetwork net = twoLayer(u, LinearRegressionFixture.splitVariant(u), Reg.WEIGHT_DECAY);
        StepRecorder rec = new StepRecorder();
        net.addListeners(rec);
        net.fit(ds);
        double[] before = rec.params.get(0);
        assertArrayEquals(sgdRec.params.get(0), before, 0.0, "same initialization");
        double[] g = rec.gradients.get(0);
        double step = eta / Math.sqrt(1 + rec.losses.get(0));
        double[] after = net.params().toDoubleVector();
        double[] afterSgd = sgd.params().toDoubleVector();
        long k = net.getLayer(0).conf().getLayer().getRegularizationByParam("W").stream()
                .filter(r -> r instanceof WeightDecay).count();
        assertTrue(k >= 1);
        // layout: layer 0 W (4x6) then b (6), layer 1 W (6x3) then b (3)
        for (int i = 0; i < after.length; i++) {
            boolean isWeight = i < 24 || (i >= 30 && i < 48);
            double decay = isWeight ? k * eta * lambda * before[i] : 0;
            double sgdDecay = afterSgd[i] - (before[i] - eta * sgdRec.gradients.get(0)[i] / batch);
            assertEquals(-decay, sgdDecay, 1e-12, "DL4J Sgd's decay of parameter " + i);
            assertRelClose(before[i] - step * g[i] / batch - decay, after[i], 1e-9, "parameter " + i);
        }
    }

    private static MultiLayerNetwork twoLayer(IUpdater first, IUpdater second) {
        return twoLayer(first, second, Reg.NONE);
    }

    private static MultiLayerNetwork twoLayer(IUpdater first, IUpdater second, Reg reg) {
        MultiLayerNetwork net = new MultiLayerNetwork(reg.apply(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).updater(first).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).updater(second).build())
                .build());
        net.init();
        net.addListeners(new LossFeedListener());
        return net;
    }
}
