package io.github.adaloss.it.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.IrisData;
import io.github.adaloss.it.support.LossRecorder;
import io.github.adaloss.it.support.Nets;
import io.github.adaloss.updater.AdaLoss;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Pipeline 3: {@link TransferLearning} from a network pre-trained with plain SGD: the first two layers frozen
 * (feature extractor), the output layer replaced, AdaLoss set by a {@link FineTuneConfiguration}. The updater then
 * has several blocks (the frozen layers' NoOp block and the AdaLoss block); the frozen parameters must not move,
 * the loss must fall, and the single network-level accumulator must follow
 * {@code b_T^2 = b_0^2 + sum_t |l_t|}.
 */
class TransferLearningTest {

    private static final double B0 = 1.0;

    @Test
    void frozenFeatureExtractorPlusAdaLossHead() {
        DataSet all = IrisData.standardized(2);

        MultiLayerNetwork base = Nets.irisClassifier(new Sgd(0.1), 8, 16, 16);
        ListDataSetIterator<DataSet> iter = new ListDataSetIterator<>(all.asList(), 15);
        base.fit(iter, 5);

        MultiLayerNetwork tuned = new TransferLearning.Builder(base)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new AdaLoss(1.0, B0)).seed(9)
                        .build())
                .setFeatureExtractor(1)
                .removeOutputLayer()
                .addLayer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .build();
        assertTrue(tuned.getLayer(0) instanceof FrozenLayer && tuned.getLayer(1) instanceof FrozenLayer);
        Updater updater = tuned.getUpdater();
        int blocks = ((BaseMultiLayerUpdater<?>) updater).getUpdaterBlocks().size();
        assertTrue(blocks >= 2, "frozen NoOp block(s) + AdaLoss block, got " + blocks);

        float[] frozenBefore = tuned.getLayer(0).params().toFloatVector();
        float[] frozen1Before = tuned.getLayer(1).params().toFloatVector();
        float[] headBefore = tuned.getLayer(2).params().toFloatVector();
        LossRecorder losses = new LossRecorder();
        tuned.addListeners(new LossFeedListener(), losses);
        double before = Nets.loss(tuned, all);
        tuned.fit(iter, 20);

        double after = Nets.loss(tuned, all);
        assertTrue(after < before / 3, "loss " + before + " -> " + after);
        assertArrayEquals(frozenBefore, tuned.getLayer(0).params().toFloatVector(), 0f);
        assertArrayEquals(frozen1Before, tuned.getLayer(1).params().toFloatVector(), 0f);
        assertTrue(!java.util.Arrays.equals(headBefore, tuned.getLayer(2).params().toFloatVector()));
        assertEquals(200, losses.losses().size(), "20 epochs x 10 mini-batches");
        double b = AdaptiveSteps.accumulator(tuned).orElseThrow();
        assertEquals(losses.expectedAccumulator(B0, 1.0, 0.0), b, 1e-4 * b);
    }
}
