package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The generic path on networks whose output is a tensor (CNN and RNN loss layers) and on CenterLossOutputLayer,
 * against central finite differences of {@code output()}; the kernel's outputs are every entry of the per-example
 * output, flattened in c order (channels x positions, units x time steps), and the trace kernel sums over all of
 * them. Before the fix, the CnnLossLayer case gave K00 = 7.54 against 8.05 (each "Jacobian row" was a gradient of
 * the MSE loss).
 */
class LossLayerNtkTest {

    private static MultiLayerNetwork mln(InputType input, Layer... layers) {
        return TestNetworks.sequential(21, input, layers);
    }

    /** Full and trace kernel, symmetric and cross, against finite differences of {@code output()}. */
    private static void assertMatchesFiniteDifferences(MultiLayerNetwork net, INDArray x, INDArray x2, double tol) {
        double[][] trace = FiniteDifferenceChecks.assertMatches(net, EmpiricalNtk.Method.GENERIC, x, x2, tol);
        // ComputationGraph: same network, same kernel
        ComputationGraph g = net.toComputationGraph();
        assertTrue(PlainJava.maxRelDiff(trace, EmpiricalNtk.gram(g, x)) < tol, "graph");
    }

    @Test
    void oneByOneConvolutionWithCnnLossLayerMatchesFiniteDifferences() {
        // the reproduction: 1x1 convolution, CnnLossLayer(MSE)
        MultiLayerNetwork net = mln(InputType.convolutional(3, 3, 2),
                new ConvolutionLayer.Builder(1, 1).nOut(2).activation(Activation.IDENTITY).build(),
                new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 3, 3).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 3);
        assertMatchesFiniteDifferences(net, x, x2, 1e-7);
        // identity 1x1 conv: K_trace(i, j) = sum_positions (<x_i(p), x_j(p)> + 1) * channels out, exactly
        double[][] xi = x.dup('c').reshape('c', 3, 2, 9).slice(0).toDoubleMatrix();
        double expected = 0;
        for (int p = 0; p < 9; p++) {
            expected += 2 * (xi[0][p] * xi[0][p] + xi[1][p] * xi[1][p] + 1);
        }
        assertEquals(expected, EmpiricalNtk.gram(net, x).getDouble(0, 0), 1e-10 * expected, "closed form K00");
    }

    @Test
    void convolutionalNetworkWithSoftmaxCnnLossLayerMatchesFiniteDifferences() {
        MultiLayerNetwork net = mln(InputType.convolutional(5, 5, 1),
                new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(1, 1).build(),
                new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.IDENTITY).build(),
                new CnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 1, 5, 5).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 2, 1, 5, 5);
        assertMatchesFiniteDifferences(net, x, x2, 1e-6);
    }

    @Test
    void recurrentNetworksWithRnnOutputLayerAndRnnLossLayerMatchFiniteDifferences() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 2, 2, 4);
        MultiLayerNetwork rnnOutput = mln(InputType.recurrent(2, 4),
                new LSTM.Builder().nOut(3).activation(Activation.TANH).build(),
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build());
        assertMatchesFiniteDifferences(rnnOutput, x, x2, 1e-6);
        MultiLayerNetwork rnnLoss = mln(InputType.recurrent(2, 4),
                new SimpleRnn.Builder().nOut(3).activation(Activation.TANH).build(),
                new RnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build());
        assertMatchesFiniteDifferences(rnnLoss, x, x2, 1e-6);
    }

    @Test
    void centerLossOutputLayerKernelIsThatOfTheOutputOnly() {
        MultiLayerNetwork net = mln(InputType.feedForward(3),
                new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(),
                new CenterLossOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).lambda(5.0).alpha(0.1)
                        .activation(Activation.SOFTMAX).build());
        // non-zero centers, so that a leftover center term would show
        net.getLayer(1).getParam("cL").assign(Nd4j.rand(DataType.DOUBLE, 3, 4));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 2, 3);
        assertEquals(3 * 4 + 4 + 4 * 3 + 3, TestNetworks.trainableIndices(net).length, "centers (NoOp updater) excluded");
        assertMatchesFiniteDifferences(net, x, x2, 1e-7);
    }

    @Test
    void unsupportedOutputLayersAreRejectedByNameAndClass() {
        MultiLayerNetwork yolo = mln(InputType.convolutional(4, 4, 1),
                new ConvolutionLayer.Builder(1, 1).nOut(5 * 2 + 2).activation(Activation.IDENTITY).build(),
                new Yolo2OutputLayer.Builder().boundingBoxPriors(Nd4j.create(new double[][] {{1, 1}, {2, 2}}))
                        .build());
        yolo.getLayerWiseConfigurations().getConf(1).getLayer().setLayerName("detector");
        // the generic path cannot take a YOLO head (its loss needs boxes); the structured path can (YoloNtkTest)
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> EmpiricalNtk.builder(yolo).method(EmpiricalNtk.Method.GENERIC).build()
                        .compute(Nd4j.rand(DataType.DOUBLE, 2, 1, 4, 4)));
        assertTrue(e.getMessage().contains("'detector'") && e.getMessage().contains("Yolo2OutputLayer"),
                e.getMessage());
        MultiLayerNetwork noOutput = mln(InputType.feedForward(3),
                new DenseLayer.Builder().nOut(2).activation(Activation.TANH).build());
        UnsupportedOperationException last = assertThrows(UnsupportedOperationException.class,
                () -> EmpiricalNtk.builder(noOutput).method(EmpiricalNtk.Method.GENERIC).build()
                        .compute(Nd4j.rand(DataType.DOUBLE, 2, 3)));
        assertTrue(last.getMessage().contains("not an output layer") && last.getMessage().contains("DenseLayer"),
                last.getMessage());
    }
}
