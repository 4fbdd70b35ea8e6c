package io.github.adaloss.it.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.FashionMnist;
import io.github.adaloss.it.support.LossRecorder;
import io.github.adaloss.updater.AdaLoss;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline 5: zoo models built untrained ({@code init()}, no download) with AdaLoss, and a small ResNet-style
 * graph with BatchNormalization, trained on the first {@value #N} Fashion-MNIST images when the Debian package is
 * installed, on generated 28x28 images otherwise ({@link FashionMnist}; the source used is logged). Each must cut
 * its training-set loss by the stated factor, and the network accumulator must follow
 * {@code b_T^2 = b_0^2 + sum_t |l_t|} even with many updater blocks (SimpleCNN, BatchNorm mean/var NoOp blocks).
 */
class ZooModelsTest {

    private static final Logger log = LoggerFactory.getLogger(ZooModelsTest.class);
    static final int N = 512;
    private static final int BATCH = 32;
    private static final double B0 = 1.0;

    private static DataSet images;
    private static String source;

    @BeforeAll
    static void data() {
        FashionMnist.Images loaded = FashionMnist.firstTrainingImages(N, 17);
        images = loaded.data();
        source = loaded.source();
        log.info("zoo tests train on {} images from {}", N, source);
    }

    /** Flattens NCHW [n,1,28,28] to [n,784], LeNet's convolutionalFlat input. */
    static DataSet flat(DataSet d) {
        return new DataSet(d.getFeatures().reshape(d.getFeatures().size(0), 784), d.getLabels());
    }

    /**
     * Trains {@code epochs} passes over the mini-batches with the loss feed, checking the loss factor and the
     * accumulator's closed form.
     */
    private static void trainAndCheck(Model net, DataSet data, int epochs, double factor, String name) {
        List<DataSet> batches = data.batchBy(BATCH);
        LossRecorder losses = new LossRecorder();
        TrainingListener feed = new LossFeedListener();
        double before;
        if (net instanceof MultiLayerNetwork mln) {
            mln.addListeners(feed, losses);
            before = mln.score(data, false);
            for (int e = 0; e < epochs; e++) {
                batches.forEach(mln::fit);
            }
        } else {
            ComputationGraph cg = (ComputationGraph) net;
            cg.addListeners(feed, losses);
            before = cg.score(data, false);
            for (int e = 0; e < epochs; e++) {
                batches.forEach(cg::fit);
            }
        }
        double after = net instanceof MultiLayerNetwork mln ? mln.score(data, false)
                : ((ComputationGraph) net).score(data, false);
        log.info("{} on {} ({} epochs): loss {} -> {}", name, source, epochs, before, after);
        assertTrue(after < before / factor,
                name + " on " + source + ": loss " + before + " -> " + after + ", expected a " + factor + "x drop");
        double b = AdaptiveSteps.accumulator(net).orElseThrow();
        assertEquals(losses.expectedAccumulator(B0, 1.0, 0.0), b, 1e-4 * b, name + " accumulator");
    }

    @Test
    void leNet() {
        MultiLayerNetwork net = (MultiLayerNetwork) LeNet.builder().numClasses(10).seed(1)
                .updater(new AdaLoss(1.0, B0)).build().init();
        trainAndCheck(net, flat(images), 3, 1.6, "LeNet");
    }

    @Test
    void simpleCnnWithALossLayerOnTop() {
        MultiLayerNetwork zoo = (MultiLayerNetwork) SimpleCNN.builder().numClasses(10).seed(1)
                .inputShape(new int[] {1, 28, 28}).updater(new AdaLoss(1.0, B0)).build().init();
        // SimpleCNN ends in global pooling + softmax ActivationLayer, which DL4J cannot fit: swap the activation
        // layer for a LossLayer (softmax + multi-class cross-entropy).
        MultiLayerNetwork net = new TransferLearning.Builder(zoo)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new AdaLoss(1.0, B0)).seed(1)
                        .build())
                .removeLayersFromOutput(1)
                .addLayer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .build())
                .build();
        // SimpleCNN costs ~3 s per mini-batch of 32 on one core: train on the first 128 images only.
        trainAndCheck(net, (DataSet) images.getRange(0, 128), 4, 1.3, "SimpleCNN");
    }

    @Test
    void resNetStyleGraphWithBatchNorm() {
        ComputationGraph net = SmallResNet.build(new AdaLoss(3.0, B0), 2);
        trainAndCheck(net, images, 3, 1.25, "SmallResNet");
    }
}
