package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * LeNet-style CNN: deeplearning4j-examples {@code quickstart/modeling/convolution/LeNetMNIST.java}, on Fashion-MNIST.
 * As published: conv 5x5x20 (stride 1, IDENTITY) - max-pool 2x2/2 - conv 5x5x50 (IDENTITY) - max-pool 2x2/2 - dense
 * 500 (RELU) - output 10 (SOFTMAX, NEGATIVELOGLIKELIHOOD); {@code weightInit(XAVIER)}, {@code l2(0.0005)},
 * {@code Adam(1e-3)}, batch 64, {@code InputType.convolutionalFlat(28, 28, 1)}. Changed: the budget (published: one
 * epoch of 60,000 images).
 */
public final class LeNetWorkload extends FashionMnistWorkload {

    /** Published batch size. */
    public static final int BATCH = 64;
    /** Published L2 coefficient. */
    public static final double L2 = 0.0005;

    /**
     * @param dir    Fashion-MNIST folder
     * @param budget training budget
     */
    public LeNetWorkload(Path dir, Budget budget) {
        super(dir, budget, BATCH, false);
    }

    @Override
    public String id() {
        return "lenet";
    }

    @Override
    public String source() {
        return "LeNetMNIST (deeplearning4j-examples quickstart): conv5x5x20-pool-conv5x5x50-pool-dense500-softmax, "
                + "XAVIER, l2 5e-4, Adam(1e-3), batch 64; on Fashion-MNIST, " + budget.trainExamples()
                + " training images x " + budget.epochs() + " epoch(s) = " + budget.updates(BATCH)
                + " updates (published: 1 epoch of 60,000)";
    }

    @Override
    public boolean heavy() {
        return true;
    }

    @Override
    public IUpdater publishedUpdater() {
        return new Adam(1e-3);
    }

    /**
     * @param updater the updater
     * @param seed    seed
     * @return the published configuration with {@code updater}
     */
    public static MultiLayerConfiguration configuration(IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .l2(L2)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(20)
                        .activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(500).build())
                .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nOut(FashionMnist.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(FashionMnist.SIDE, FashionMnist.SIDE, 1))
                .build();
    }

    @Override
    public Model build(IUpdater updater, long seed) {
        return Workload.initialized(configuration(updater, seed));
    }
}
