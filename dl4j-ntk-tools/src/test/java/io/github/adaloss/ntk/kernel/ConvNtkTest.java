package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The structured convolutional path against central finite differences of {@code output()} and against the generic
 * per-example path, on small LeNet-like networks (flat input with preprocessors, strided / padded / dilated / Same
 * convolutions, max and average pooling, dense and output layers).
 */
class ConvNtkTest {

    private static MultiLayerNetwork net(InputType input, Layer... layers) {
        return TestNetworks.sequential(5, input, layers);
    }

    /**
     * Small LeNet: flat 7x7 input, conv 3x3 Same mode (tanh; as the zoo LeNet's 5x5 Same convolutions, odd kernel),
     * max pool 2x2 stride 1, conv 2x2 stride 2, dense, softmax.
     */
    private static MultiLayerNetwork smallLeNet() {
        return net(InputType.convolutionalFlat(7, 7, 1),
                new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.TANH).build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(1, 1).build(),
                new ConvolutionLayer.Builder(2, 2).stride(2, 2).nOut(4).activation(Activation.IDENTITY).build(),
                new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build());
    }

    private static void assertExact(MultiLayerNetwork net, INDArray x, INDArray x2, double tol) {
        FiniteDifferenceChecks.assertStructuredExact(net, x, x2, tol);
    }

    @Test
    void truncatedStridedConvolutionsPassTheSignalThroughCol2im() {
        // the second and third convolutions get their input signal from the structured path's own col2im: stride 2
        // with a row and column that no window reaches (Truncate: (8 - 3) / 2 + 1 = 3 positions, index 7 unused),
        // then explicit padding with stride 2 and a dilated kernel on a non-square input
        MultiLayerNetwork net = net(InputType.convolutional(8, 9, 2),
                new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.TANH).build(),
                new ConvolutionLayer.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Truncate).nOut(4)
                        .activation(Activation.SOFTPLUS).build(),
                new ConvolutionLayer.Builder(2, 2).stride(2, 1).padding(1, 1).dilation(1, 2).nOut(2)
                        .activation(Activation.SIGMOID).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 8, 9).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 2, 2, 8, 9);
        assertExact(net, x, x2, 1e-6);
    }

    @Test
    void smallLeNetMatchesFiniteDifferencesAndTheGenericPath() {
        MultiLayerNetwork net = smallLeNet();
        assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(net).build().method(), "AUTO picks it");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 49).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 3, 49);
        assertExact(net, x, x2, 1e-6);
    }

    @Test
    void paddedDilatedSameModeConvolutionsAveragePoolingAndLossLayer() {
        MultiLayerNetwork net = net(InputType.convolutional(6, 5, 2),
                new ConvolutionLayer.Builder(3, 2).padding(1, 1).dilation(1, 2).nOut(3).activation(Activation.SOFTPLUS)
                        .build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 1).build(),
                new ConvolutionLayer.Builder(2, 2).convolutionMode(ConvolutionMode.Same).stride(2, 2).nOut(2)
                        .hasBias(false).activation(Activation.TANH).build(),
                new ActivationLayer.Builder().activation(Activation.SIGMOID).build(),
                new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build(),
                new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 5).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 5);
        assertExact(net, x, x2, 1e-6);
    }

    @Test
    void zeroPaddingDropoutAndGlobalPoolingPassTheSignal() {
        // the parameter-free layers of the zoo's ResNet50 (ZeroPadding), SqueezeNet (DropoutLayer) and Darknet19
        // (GlobalPooling), back-propagated by DL4J's own layer code; dropout is off in output()
        for (org.deeplearning4j.nn.conf.layers.PoolingType pooling : new org.deeplearning4j.nn.conf.layers.PoolingType[] {
            org.deeplearning4j.nn.conf.layers.PoolingType.AVG, org.deeplearning4j.nn.conf.layers.PoolingType.MAX,
            org.deeplearning4j.nn.conf.layers.PoolingType.PNORM}) {
            MultiLayerNetwork net = net(InputType.convolutional(5, 5, 2),
                    new org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer.Builder(1, 0, 2, 1).build(),
                    new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).build(),
                    new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder(0.5).build(),
                    new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(pooling).pnorm(3).build(),
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                            .build());
            assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(net).build().method(), pooling.name());
            assertExact(net, Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 5).subi(0.5), Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5),
                    1e-6);
        }
    }

    @Test
    void frozenLayerWithBackpropCountsNothingButPassesTheSignal() {
        MultiLayerNetwork net = net(InputType.convolutionalFlat(7, 7, 1),
                new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.TANH).build(),
                new org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop(
                        new ConvolutionLayer.Builder(2, 2).stride(2, 2).nOut(3).activation(Activation.RELU).build()),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build());
        assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(net).build().method());
        assertEquals(2 * 9 + 2 + 2 * 2 * 3 * 3 + 3, TestNetworks.trainableIndices(net).length, "frozen conv (24 + 3) excluded");
        assertExact(net, Nd4j.rand(DataType.DOUBLE, 4, 49).subi(0.5), Nd4j.rand(DataType.DOUBLE, 2, 49), 1e-6);
    }

    @Test
    void floatNetworkIsComputedInFloatAndInDoubleOnRequest() {
        MultiLayerNetwork d = smallLeNet();
        MultiLayerNetwork f = d.convertDataType(DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 49);
        MultiLayerNetwork rounded = f.convertDataType(DataType.DOUBLE);
        INDArray reference = EmpiricalNtk.builder(rounded).method(EmpiricalNtk.Method.GENERIC).build()
                .compute(x.castTo(DataType.FLOAT).castTo(DataType.DOUBLE));
        INDArray inFloat = EmpiricalNtk.builder(f).method(EmpiricalNtk.Method.STRUCTURED).build()
                .compute(x.castTo(DataType.FLOAT));
        INDArray inDouble = EmpiricalNtk.builder(f).method(EmpiricalNtk.Method.STRUCTURED).doublePrecision().build()
                .compute(x.castTo(DataType.FLOAT));
        assertEquals(DataType.DOUBLE, inFloat.dataType());
        double floatError = PlainJava.maxRelDiff(reference.toDoubleMatrix(), inFloat);
        // float products: about 1e-7 relative, far from double's 1e-15 (so the path did compute in float)
        assertTrue(floatError < 2e-6 && floatError > 1e-12, "float path vs double reference: " + floatError);
        assertTrue(PlainJava.maxRelDiff(reference.toDoubleMatrix(), inDouble) < 1e-10, "doublePrecision()");
    }

    @Test
    void unsupportedLayersAreNamed() {
        MultiLayerNetwork nhwc = net(InputType.convolutional(4, 4, 1, org.deeplearning4j.nn.conf.CNN2DFormat.NHWC),
                new ConvolutionLayer.Builder(2, 2).nOut(2).dataFormat(org.deeplearning4j.nn.conf.CNN2DFormat.NHWC)
                        .activation(Activation.TANH).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY)
                        .build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(nhwc).method(EmpiricalNtk.Method.STRUCTURED).build());
        assertTrue(e.getMessage().contains("STRUCTURED") && e.getMessage().contains("NHWC"), e.getMessage());
        assertEquals(EmpiricalNtk.Method.GENERIC, EmpiricalNtk.builder(nhwc).build().method());
    }
}
