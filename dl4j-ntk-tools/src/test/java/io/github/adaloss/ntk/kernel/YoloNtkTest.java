package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A Yolo2OutputLayer on the structured path ({@link YoloOutput}): the kernel of its activated predictions (sigmoid
 * x, y and confidence, prior-scaled exp width and height, a softmax over the classes of each box and cell), against
 * central finite differences of {@code output()} (the generic path cannot take the layer: its loss needs boxes).
 */
class YoloNtkTest {

    /** 2 boxes with different priors, 3 classes: the convolution feeding the layer has 2 (5 + 3) = 16 channels. */
    private static Yolo2OutputLayer yolo() {
        return new Yolo2OutputLayer.Builder()
                .boundingBoxPriors(Nd4j.create(new double[][] {{1.0, 1.5}, {2.5, 0.7}})).build();
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER);
    }

    @Test
    void multiLayerNetworkWithAYoloHeadMatchesFiniteDifferences() {
        MultiLayerNetwork net = new MultiLayerNetwork(base(21).list()
                .layer(new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(4)
                        .activation(Activation.LEAKYRELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(16).activation(Activation.IDENTITY).build())
                .layer(yolo())
                .setInputType(InputType.convolutional(4, 4, 2)).build());
        net.init();
        assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(net).build().method());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 4).subi(0.5);
        // k = 16 channels x 2 x 2 cells = 64 outputs per example
        assertEquals(3 * 64, EmpiricalNtk.builder(net).fullKernel().build().compute(x).rows());
        FiniteDifferenceChecks.assertMatches(net, EmpiricalNtk.Method.STRUCTURED, x,
                Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4), 1e-6);
        // one output: the confidence of box 1 at cell (1, 0), entry ((1 (5 + 3) + 4) 2 + 1) 2 + 0 = 50
        INDArray one = EmpiricalNtk.builder(net).output(50).build().compute(x);
        INDArray full = EmpiricalNtk.builder(net).fullKernel().build().compute(x);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(full.getDouble(i * 64 + 50, j * 64 + 50), one.getDouble(i, j),
                        1e-10 * Math.abs(full.getDouble(i * 64 + 50, i * 64 + 50)));
            }
        }
    }

    @Test
    void tinyYoloStyleGraphMatchesFiniteDifferences() {
        // TinyYOLO's pattern: convolution, BatchNormalization, leaky ReLU, max pooling, a 1x1 convolution to
        // B (5 + C) channels, the YOLO head as the graph's output; and YOLO2's passthrough: a SpaceToDepthLayer
        // of the pre-pooling map (block 2) merged in depth with the pooled one
        ComputationGraph g = new ComputationGraph(base(22).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(4)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("act", new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(Activation.LEAKYRELU).build(), "bn")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "act")
                .addLayer("passthrough", new org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer.Builder(2).build(),
                        "act")
                .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "pool", "passthrough")
                .addLayer("head", new ConvolutionLayer.Builder(1, 1).nOut(16).activation(Activation.IDENTITY)
                        .build(), "merge")
                .addLayer("yolo", yolo(), "head")
                .setOutputs("yolo").build());
        g.init();
        assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(g).build().method());
        FiniteDifferenceChecks.assertMatches(g, EmpiricalNtk.Method.STRUCTURED,
                Nd4j.rand(DataType.DOUBLE, 3, 3, 4, 4).subi(0.5), Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 4), 1e-6);
    }

    @Test
    void nhwcYoloHeadIsRefusedWithItsReason() {
        Yolo2OutputLayer nhwc = yolo();
        nhwc.setFormat(CNN2DFormat.NHWC);
        MultiLayerNetwork net = new MultiLayerNetwork(base(23).list()
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(16).activation(Activation.IDENTITY)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(nhwc)
                .setInputType(InputType.convolutional(2, 2, 2, CNN2DFormat.NHWC)).build());
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED).build());
        assertTrue(e.getMessage().contains("format"), e.getMessage());
    }
}
