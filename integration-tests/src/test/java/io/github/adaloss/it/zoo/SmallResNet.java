package io.github.adaloss.it.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small ResNet-style ComputationGraph for 1x28x28 images (ResNet50 from the zoo is too heavy for a 2-core test
 * run): stem conv 3x3/2 (8 channels) + BatchNorm + ReLU, then {@code blocks} residual blocks
 * {@code relu(x + BN(conv(relu(BN(conv(x))))))} (3x3, same padding, 8 channels, {@link ElementWiseVertex} Add),
 * global average pooling and a 10-way softmax output. The BatchNorm mean/variance parameters form NoOp updater
 * blocks between the AdaLoss blocks, as in the zoo's ResNet50.
 */
final class SmallResNet {

    private SmallResNet() {
    }

    /**
     * @param updater updater of every trainable layer
     * @param blocks  number of residual blocks, at least 1
     * @return the initialised graph, input "in" (NCHW [n,1,28,28]), output "out"
     */
    static ComputationGraph build(IUpdater updater, int blocks) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(3).updater(updater).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("stemBn", new BatchNormalization(), "stem")
                .addLayer("stemRelu", new ActivationLayer(Activation.RELU), "stemBn");
        String x = "stemRelu";
        for (int b = 0; b < blocks; b++) {
            String p = "block" + b;
            g.addLayer(p + "conv1", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY)
                            .build(), x)
                    .addLayer(p + "bn1", new BatchNormalization(), p + "conv1")
                    .addLayer(p + "relu1", new ActivationLayer(Activation.RELU), p + "bn1")
                    .addLayer(p + "conv2", new ConvolutionLayer.Builder(3, 3).nOut(8)
                            .activation(Activation.IDENTITY).build(), p + "relu1")
                    .addLayer(p + "bn2", new BatchNormalization(), p + "conv2")
                    .addVertex(p + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), p + "bn2", x)
                    .addLayer(p + "out", new ActivationLayer(Activation.RELU), p + "add");
            x = p + "out";
        }
        g.addLayer("pool", new GlobalPoolingLayer(PoolingType.AVG), x)
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }
}
