package io.github.adaloss.updater;

import static io.github.adaloss.testing.Assertions2.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisData;
import io.github.adaloss.testing.LinearRegressionFixture;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
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

    /** Records the loss, the parameters and the (not yet averaged) gradient right before each update. */
    private static final class Recorder extends BaseTrainingListener {
        final List<Double> losses = new ArrayList<>();
        final List<double[]> params = new ArrayList<>();
        final List<double[]> gradients = new ArrayList<>();

        @Override
        public void onGradientCalculation(Model model) {
            losses.add(model.score());
            params.add(model.params().toDoubleVector());
            gradients.add(model.gradient().gradient().toDoubleVector());
        }
    }

    @Test
    void adaLossAndAdaGradNormShareOneAccumulatorAcrossFrozenAndBatchNormBlocks() {
        DataSet ds = IrisData.standardized(DataType.DOUBLE);
        int batch = ds.numExamples();
        for (AccumulatorConfig config : new AccumulatorConfig[] {new AdaLoss(0.5, 0.3), new AdaGradNorm(0.5, 0.3)}) {
            MultiLayerNetwork net = frozenAndBatchNorm(config);
            Recorder rec = new Recorder();
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

    @Test
    void splittingIntoBlocksChangesNothing() {
        LinearRegressionFixture fx = new LinearRegressionFixture(9);
        DataSet ds = IrisData.standardized(DataType.DOUBLE);
        for (IUpdater u : new IUpdater[] {new AdaLoss(), new AdaGradNorm(), new AdamLoss(), new HeavyBall()}) {
            MultiLayerNetwork single = twoLayer(u, u);
            MultiLayerNetwork split = twoLayer(u, LinearRegressionFixture.splitVariant(u));
            assertEquals(1, ((BaseMultiLayerUpdater<?>) single.getUpdater()).getUpdaterBlocks().size());
            assertEquals(2, ((BaseMultiLayerUpdater<?>) split.getUpdater()).getUpdaterBlocks().size());
            for (int t = 0; t < 8; t++) {
                single.fit(ds);
                split.fit(ds);
            }
            assertArrayEquals(single.params().toDoubleVector(), split.params().toDoubleVector(), 0.0,
                    u + ": one block and two blocks must give bit-identical parameters");
        }
        assertTrue(fx.dataSet().numExamples() > 0);
    }

    private static MultiLayerNetwork twoLayer(IUpdater first, IUpdater second) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).updater(first).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).updater(second).build())
                .build());
        net.init();
        net.addListeners(new LossFeedListener());
        return net;
    }
}
