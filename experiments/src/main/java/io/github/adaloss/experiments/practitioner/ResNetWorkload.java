package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.TruncatedNormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * ResNet-style ComputationGraph with BatchNormalization and weight decay, built with the global hyperparameters of
 * DL4J's zoo {@code ResNet50} (deeplearning4j-zoo 1.0.0-M2.1): {@code RmsProp(0.1, 0.96, 0.001)}, weights from
 * {@code TruncatedNormalDistribution(0, 0.5)}, {@code l1(1e-7)}, {@code l2(5e-5)} (the zoo's weight decay, coupled:
 * added to the gradient), and its block pattern: convolution - {@code BatchNormalization} - {@code ActivationLayer
 * (RELU)}, residual sum by {@code ElementWiseVertex(Add)} followed by ReLU, a projection (1x1 convolution + BN) on
 * the shortcut when the shape changes, average pooling and a softmax {@code NEGATIVELOGLIKELIHOOD} output. Changed:
 * depth and width (a 3x3 stem of 16 filters with stride 2, one identity block of 16, one down-sampling block of 32,
 * global average pooling, on 28x28 Fashion-MNIST instead of 224x224x3 ImageNet: ResNet50's 23 M parameters do not
 * train on 2 cores), {@code ConvolutionMode.Same} everywhere (the zoo pads explicitly), batch 32 (the zoo sets none),
 * and the budget.
 */
public final class ResNetWorkload extends FashionMnistWorkload {

    /** Batch size (the zoo model sets none). */
    public static final int BATCH = 32;
    /** The zoo ResNet50's L1 coefficient. */
    public static final double L1 = 1e-7;
    /** The zoo ResNet50's L2 coefficient (weight decay). */
    public static final double L2 = 5e-5;
    /** The zoo ResNet50's weight distribution's standard deviation (truncated normal, mean 0). */
    public static final double INIT_STD = 0.5;

    /**
     * @param dir    Fashion-MNIST folder
     * @param budget training budget
     */
    public ResNetWorkload(Path dir, Budget budget) {
        super(dir, budget, BATCH, true);
    }

    @Override
    public String id() {
        return "resnet";
    }

    @Override
    public String source() {
        return "ResNet-style ComputationGraph with the zoo ResNet50's hyperparameters (RmsProp(0.1, 0.96, 0.001), "
                + "truncated-normal(0, 0.5) init, l1 1e-7, l2 5e-5, conv-BN-ReLU blocks with additive shortcuts), "
                + "reduced to 2 residual blocks on 28x28 Fashion-MNIST, batch 32; " + budget.trainExamples()
                + " training images x " + budget.epochs() + " epoch(s) = " + budget.updates(BATCH) + " updates";
    }

    @Override
    public boolean heavy() {
        return true;
    }

    @Override
    public IUpdater publishedUpdater() {
        return new RmsProp(0.1, 0.96, 0.001);
    }

    /**
     * @param updater the updater
     * @param seed    seed
     * @return the configuration with {@code updater}
     */
    public static ComputationGraphConfiguration configuration(IUpdater updater, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .weightInit(new TruncatedNormalDistribution(0.0, INIT_STD))
                .l1(L1)
                .l2(L2)
                .miniBatch(true)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(FashionMnist.SIDE, FashionMnist.SIDE, 1));
        convBnRelu(g, "stem", "in", 16, 2);
        // identity block: conv-BN-ReLU-conv-BN + shortcut, ReLU
        convBnRelu(g, "b1a", "stem", 16, 1);
        convBn(g, "b1b", "b1a", 16, 1, 3);
        g.addVertex("b1add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1b_bn", "stem");
        g.addLayer("b1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b1add");
        // down-sampling block: stride 2 and a projection shortcut
        convBnRelu(g, "b2a", "b1", 32, 2);
        convBn(g, "b2b", "b2a", 32, 1, 3);
        convBn(g, "b2s", "b1", 32, 2, 1);
        g.addVertex("b2add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2b_bn", "b2s_bn");
        g.addLayer("b2", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b2add");
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b2");
        g.addLayer("out", new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nOut(FashionMnist.CLASSES)
                .activation(Activation.SOFTMAX).build(), "pool");
        return g.setOutputs("out").build();
    }

    private static void convBnRelu(ComputationGraphConfiguration.GraphBuilder g, String name, String input, int nOut,
                                   int stride) {
        convBn(g, name, input, nOut, stride, 3);
        g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "_bn");
    }

    private static void convBn(ComputationGraphConfiguration.GraphBuilder g, String name, String input, int nOut,
                               int stride, int kernel) {
        g.addLayer(name + "_conv", new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(nOut)
                .activation(Activation.IDENTITY).build(), input);
        g.addLayer(name + "_bn", new BatchNormalization.Builder().build(), name + "_conv");
    }

    @Override
    public Model build(IUpdater updater, long seed) {
        ComputationGraph net = new ComputationGraph(configuration(updater, seed));
        net.init();
        return net;
    }
}
