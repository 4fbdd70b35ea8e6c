package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A CenterLossOutputLayer on the dense and structured paths: the kernel of its {@code output()} (softmax of
 * {@code a W + b}; the center term and the centers do not enter it), against finite differences of {@code output()}
 * and the generic path, after training has moved the centers away from zero.
 */
class CenterLossNtkTest {

    private static CenterLossOutputLayer centerLoss(int k) {
        return new CenterLossOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(k)
                .activation(Activation.SOFTMAX).alpha(0.5).lambda(0.1).build();
    }

    private static MultiLayerNetwork trained(MultiLayerNetwork net, INDArray x, int k) {
        net.init();
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, x.size(0), k);
        for (int i = 0; i < x.size(0); i++) {
            labels.putScalar(i, i % k, 1.0);
        }
        for (int s = 0; s < 3; s++) {
            net.fit(new DataSet(x, labels));
        }
        assertTrue(net.getLayer(net.getnLayers() - 1).getParam(DenseNtk.CENTERS).norm2Number().doubleValue() > 0,
                "the centers moved");
        return net;
    }

    @Test
    void denseNetworkTakesTheDensePath() {
        MultiLayerNetwork net = trained(new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(centerLoss(3)).setInputType(InputType.feedForward(4)).build()),
                Nd4j.rand(DataType.DOUBLE, 6, 4), 3);
        assertEquals(EmpiricalNtk.Method.DENSE, EmpiricalNtk.builder(net).build().method());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4).subi(0.5);
        FiniteDifferenceChecks.assertMatches(net, EmpiricalNtk.Method.DENSE, x, Nd4j.rand(DataType.DOUBLE, 2, 4),
                1e-6);
        INDArray generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
        INDArray dense = EmpiricalNtk.builder(net).build().compute(x);
        assertTrue(PlainJava.maxRelDiff(generic.toDoubleMatrix(), dense) < 1e-10, "vs generic path");
    }

    @Test
    void convolutionalNetworkTakesTheStructuredPath() {
        MultiLayerNetwork net = trained(new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.SOFTPLUS).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(centerLoss(3)).setInputType(InputType.convolutional(4, 4, 2)).build()),
                Nd4j.rand(DataType.DOUBLE, 6, 2, 4, 4), 3);
        assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(net).build().method());
        FiniteDifferenceChecks.assertStructuredExact(net, Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 4).subi(0.5),
                Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4), 1e-6);
    }
}
