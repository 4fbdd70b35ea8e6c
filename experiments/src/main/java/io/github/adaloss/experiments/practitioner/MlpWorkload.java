package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Dense MLP classifier: deeplearning4j-examples {@code quickstart/modeling/feedforward/classification/
 * MNISTSingleLayer.java}, on Fashion-MNIST instead of MNIST (same 784 inputs, 10 classes). As published:
 * {@code DenseLayer 784 -> 1000 (RELU, XAVIER)}, {@code OutputLayer 1000 -> 10 (SOFTMAX, NEGATIVELOGLIKELIHOOD,
 * XAVIER)}, {@code l2(1e-4)}, {@code Nesterovs(0.006, 0.9)}, batch size 128. Changed: the budget (the example trains
 * 15 epochs of 60,000 images; here the first {@code trainExamples} images, see {@link Budget}).
 */
public final class MlpWorkload extends FashionMnistWorkload {

    /** Published batch size. */
    public static final int BATCH = 128;
    /** Published L2 coefficient. */
    public static final double L2 = 1e-4;
    /** Published hidden width. */
    public static final int HIDDEN = 1000;

    /**
     * @param dir    Fashion-MNIST folder
     * @param budget training budget
     */
    public MlpWorkload(Path dir, Budget budget) {
        super(dir, budget, BATCH, false);
    }

    @Override
    public String id() {
        return "mlp";
    }

    @Override
    public String source() {
        return "MNISTSingleLayer (deeplearning4j-examples quickstart): 784-1000-10 ReLU MLP, XAVIER, l2 1e-4, "
                + "Nesterovs(0.006, 0.9), batch 128; on Fashion-MNIST, " + budget.trainExamples() + " training images x "
                + budget.epochs() + " epoch(s) = " + budget.updates(BATCH) + " updates (published: 15 epochs of 60,000)";
    }

    @Override
    public boolean heavy() {
        return false;
    }

    @Override
    public IUpdater publishedUpdater() {
        return new Nesterovs(0.006, 0.9);
    }

    /**
     * @param updater the updater
     * @param seed    seed
     * @return the published configuration with {@code updater}
     */
    public static MultiLayerConfiguration configuration(IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .l2(L2)
                .list()
                .layer(new DenseLayer.Builder().nIn(FashionMnist.SIDE * FashionMnist.SIDE).nOut(HIDDEN)
                        .activation(Activation.RELU).weightInit(WeightInit.XAVIER).build())
                .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nIn(HIDDEN)
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                        .build())
                .build();
    }

    @Override
    public Model build(IUpdater updater, long seed) {
        return Workload.initialized(configuration(updater, seed));
    }
}
