package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaLoss;
import java.util.List;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;

/**
 * Each configuration builds with the hyperparameters of the DL4J example it cites (values read off the examples'
 * sources: MNISTSingleLayer, LeNetMNIST, UCISequenceClassification, RegressionSum, EditLastLayerOthersFrozen) and, for
 * the ResNet-style graph, of DL4J's own zoo ResNet50 configuration, compared with the zoo object itself.
 */
class PublishedConfigTest {

    private static Layer layer(MultiLayerConfiguration c, int i) {
        return c.getConf(i).getLayer();
    }

    private static double l2(Layer l) {
        return coefficient(((BaseLayer) l).getRegularization(), L2Regularization.class);
    }

    private static double coefficient(List<Regularization> regs, Class<?> type) {
        for (Regularization r : regs) {
            if (type.isInstance(r)) {
                return r instanceof L2Regularization l2 ? l2.getL2().valueAt(0, 0)
                        : ((L1Regularization) r).getL1().valueAt(0, 0);
            }
        }
        return 0;
    }

    @Test
    void mlpIsMnistSingleLayer() {
        MultiLayerConfiguration c = MlpWorkload.configuration(new MlpWorkload(null, new Budget(1, 1, 1))
                .publishedUpdater(), 123);
        DenseLayer d = (DenseLayer) layer(c, 0);
        OutputLayer o = (OutputLayer) layer(c, 1);
        assertEquals(784, d.getNIn());
        assertEquals(1000, d.getNOut());
        assertInstanceOf(ActivationReLU.class, d.getActivationFn());
        assertInstanceOf(WeightInitXavier.class, d.getWeightInitFn());
        assertEquals(10, o.getNOut());
        assertInstanceOf(LossNegativeLogLikelihood.class, o.getLossFn());
        assertEquals(new Nesterovs(0.006, 0.9), d.getIUpdater());
        assertEquals(1e-4, l2(d), 0);
        assertEquals(128, MlpWorkload.BATCH);
    }

    @Test
    void lenetIsLeNetMnist() {
        MultiLayerConfiguration c = LeNetWorkload.configuration(new Adam(1e-3), 123);
        ConvolutionLayer c1 = (ConvolutionLayer) layer(c, 0);
        ConvolutionLayer c2 = (ConvolutionLayer) layer(c, 2);
        assertEquals(20, c1.getNOut());
        assertEquals(50, c2.getNOut());
        assertEquals(20, c2.getNIn());
        assertEquals(5, c1.getKernelSize()[0]);
        assertInstanceOf(ActivationIdentity.class, c1.getActivationFn());
        assertEquals(500, ((DenseLayer) layer(c, 4)).getNOut());
        assertEquals(800, ((DenseLayer) layer(c, 4)).getNIn());
        assertEquals(10, ((OutputLayer) layer(c, 5)).getNOut());
        assertEquals(new Adam(1e-3), c1.getIUpdater());
        assertEquals(new Adam(1e-3), new LeNetWorkload(null, new Budget(1, 1, 1)).publishedUpdater());
        assertEquals(5e-4, l2(c1), 0);
        assertInstanceOf(WeightInitXavier.class, c1.getWeightInitFn());
        assertEquals(64, LeNetWorkload.BATCH);
    }

    @Test
    void lstmIsUciSequenceClassification() {
        MultiLayerConfiguration c = LstmWorkload.configuration(new Nadam(), 123);
        LSTM l = (LSTM) layer(c, 0);
        RnnOutputLayer o = (RnnOutputLayer) layer(c, 1);
        assertEquals(1, l.getNIn());
        assertEquals(10, l.getNOut());
        assertInstanceOf(ActivationTanH.class, l.getActivationFn());
        assertEquals(6, o.getNOut());
        assertInstanceOf(LossMCXENT.class, o.getLossFn());
        assertEquals(GradientNormalization.ClipElementWiseAbsoluteValue, l.getGradientNormalization());
        assertEquals(0.5, l.getGradientNormalizationThreshold(), 0);
        assertEquals(new Nadam(), l.getIUpdater());
        assertEquals(1e-3, new Nadam().getLearningRate(), 0);
        assertEquals(10, LstmWorkload.BATCH);
        assertEquals(450, LstmWorkload.TRAIN);
    }

    @Test
    void textIsImdbReviewClassificationRnnOnOneHotCharacters() {
        MultiLayerConfiguration c = TextWorkload.configuration(new Adam(5e-3), 0, 30);
        LSTM l = (LSTM) c.getConf(0).getLayer();
        RnnOutputLayer o = (RnnOutputLayer) c.getConf(1).getLayer();
        assertEquals(30, l.getNIn());
        assertEquals(256, l.getNOut());
        assertInstanceOf(ActivationTanH.class, l.getActivationFn());
        assertInstanceOf(ActivationSoftmax.class, o.getActivationFn());
        assertInstanceOf(LossMCXENT.class, o.getLossFn());
        assertEquals(7, o.getNOut());
        assertEquals(GradientNormalization.ClipElementWiseAbsoluteValue, l.getGradientNormalization());
        assertEquals(1.0, l.getGradientNormalizationThreshold(), 0);
        assertEquals(1e-5, l2(l), 0);
        assertEquals(new Adam(5e-3), new TextWorkload(null, new Budget(7, 7, 1)).publishedUpdater());
        assertEquals(64, TextWorkload.BATCH);
    }

    @Test
    void regressionIsRegressionSumNetwork() {
        MultiLayerConfiguration c = RegressionWorkload.configuration(new Nesterovs(0.01, 0.9), 12345);
        DenseLayer d = (DenseLayer) layer(c, 0);
        OutputLayer o = (OutputLayer) layer(c, 1);
        assertEquals(10, d.getNIn());
        assertEquals(10, d.getNOut());
        assertInstanceOf(ActivationTanH.class, d.getActivationFn());
        assertInstanceOf(LossMSE.class, o.getLossFn());
        assertInstanceOf(ActivationIdentity.class, o.getActivationFn());
        assertEquals(1, o.getNOut());
        assertEquals(new Nesterovs(0.01, 0.9), new RegressionWorkload(new Budget(1, 1, 1)).publishedUpdater());
        assertEquals(100, RegressionWorkload.BATCH);
    }

    @Test
    void resnetUsesTheZooResNet50Hyperparameters() {
        ComputationGraphConfiguration zoo = ResNet50.builder().numClasses(10).build().graphBuilder().build();
        ConvolutionLayer zooConv = null;
        for (var v : zoo.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer cl) {
                zooConv = cl;
                break;
            }
        }
        ComputationGraphConfiguration mine = ResNetWorkload.configuration(
                new ResNetWorkload(null, new Budget(1, 1, 1)).publishedUpdater(), 1);
        ConvolutionLayer conv = (ConvolutionLayer) ((LayerVertex) mine.getVertices().get("stem_conv")).getLayerConf()
                .getLayer();
        assertEquals(zooConv.getIUpdater(), conv.getIUpdater());
        assertEquals(coefficient(zooConv.getRegularization(), L1Regularization.class),
                coefficient(conv.getRegularization(), L1Regularization.class), 0);
        assertEquals(coefficient(zooConv.getRegularization(), L2Regularization.class),
                coefficient(conv.getRegularization(), L2Regularization.class), 0);
        assertEquals(zooConv.getWeightInitFn(), conv.getWeightInitFn());
        long bn = mine.getVertices().values().stream().filter(v -> v instanceof LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof BatchNormalization).count();
        assertEquals(6, bn);
        assertEquals(10, ((FeedForwardLayer) ((LayerVertex) mine.getVertices().get("out")).getLayerConf().getLayer())
                .getNOut());
    }

    @Test
    void transferFreezesTheFeatureExtractorAndAddsANewHead() {
        MultiLayerNetwork base = new MultiLayerNetwork(MlpWorkload.configuration(new Nesterovs(0.006, 0.9), 7));
        base.init();
        MultiLayerNetwork ft = TransferWorkload.fineTune(base, new Nesterovs(5e-5), 7);
        assertInstanceOf(FrozenLayer.class, ft.getLayerWiseConfigurations().getConf(0).getLayer());
        OutputLayer head = (OutputLayer) ft.getLayerWiseConfigurations().getConf(1).getLayer();
        assertEquals(5, head.getNOut());
        assertEquals(1000, head.getNIn());
        assertEquals(new Nesterovs(5e-5), head.getIUpdater());
        // the example's new Nesterovs(5e-5) is Nesterovs(double momentum): learning rate 0.1 (the default), momentum 5e-5
        assertEquals(0.1, new Nesterovs(5e-5).getLearningRate(), 0);
        assertEquals(5e-5, new Nesterovs(5e-5).getMomentum(), 0);
        assertEquals(base.getLayer(0).params(), ft.getLayer(0).params());
        // a new head drawn from N(0, 0.2 * 2 / 1005): sample standard deviation within 5% of 3.98e-4 (5000 weights)
        double std = ft.getLayer(1).getParam("W").stdNumber().doubleValue();
        assertEquals(0.2 * 2.0 / 1005, std, 0.05 * 0.2 * 2.0 / 1005);
        assertTrue(new AdaLoss().getLearningRate() > 0);
    }
}
