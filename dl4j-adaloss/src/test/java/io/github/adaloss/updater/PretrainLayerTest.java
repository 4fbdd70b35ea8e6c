package io.github.adaloss.updater;

import static io.github.adaloss.testing.Assertions2.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisData;
import io.github.adaloss.testing.StepRecorder;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A network with an AutoEncoder layer: DL4J skips the block of its pretrain-only parameter (the visible bias
 * {@code vb}) during supervised fit. Before the fix that block was counted as a member of the network step, the
 * step never completed, and DL4J applied the raw gradient (plain SGD, learning rate 1) with b frozen at b0.
 */
class PretrainLayerTest {

    @Test
    void autoEncoderNetworkTrainsWithTheAdaptiveStep() {
        DataSet ds = IrisData.standardized(DataType.DOUBLE);
        int batch = ds.numExamples();
        double eta = 0.3;
        double b0 = 0.7;
        for (IUpdater u : new IUpdater[] {new AdaLoss(eta, b0), new AdaGradNorm(eta, b0)}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
                    .dataType(DataType.DOUBLE).updater(u).list()
                    .layer(new AutoEncoder.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .build());
            net.init();
            StepRecorder rec = new StepRecorder();
            net.addListeners(new LossFeedListener(), rec);
            List<UpdaterBlock> blocks = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks();
            assertTrue(blocks.stream().anyMatch(UpdaterBlock::isPretrainUpdaterBlock), "vb has its own block");
            double b2 = b0 * b0;
            for (int t = 0; t < 4; t++) {
                net.fit(ds);
                double[] before = rec.params.get(t);
                double[] g = rec.gradients.get(t);
                double sq = 0;
                for (UpdaterBlock b : blocks) {
                    if (!b.isPretrainUpdaterBlock()) {
                        for (int i = b.getParamOffsetStart(); i < b.getParamOffsetEnd(); i++) {
                            sq += (g[i] / batch) * (g[i] / batch);
                        }
                    }
                }
                b2 += u instanceof AdaLoss ? rec.losses.get(t) : sq;
                double step = eta / Math.sqrt(b2);
                double[] after = net.params().toDoubleVector();
                for (UpdaterBlock b : blocks) {
                    for (int i = b.getParamOffsetStart(); i < b.getParamOffsetEnd(); i++) {
                        if (b.isPretrainUpdaterBlock()) {
                            assertEquals(before[i] - g[i] / batch, after[i], 1e-12,
                                    u + ": DL4J's untouched pretrain parameter " + i);
                        } else {
                            assertRelClose(before[i] - step * g[i] / batch, after[i], 1e-9,
                                    u + " parameter " + i + " at step " + t);
                        }
                    }
                }
                assertRelClose(Math.sqrt(b2), AdaptiveSteps.accumulator(net).getAsDouble(), 1e-12, u + " b, step " + t);
            }
        }
    }
}
