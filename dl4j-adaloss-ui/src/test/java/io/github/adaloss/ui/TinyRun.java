package io.github.adaloss.ui;

import io.github.adaloss.updater.AdaptiveSteps;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A 3-16-1 regression MLP on seeded synthetic data, and a recorder of what AdaptiveSteps reports per iteration. */
final class TinyRun {

    private TinyRun() {
    }

    /** y = x . (1, -2, 0.5) + 0.1 noise, x uniform in [-1, 1]^3. */
    static DataSet data(int n, long seed, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, 3).muli(2).subi(1);
        INDArray y = x.mmul(Nd4j.createFromArray(1.0, -2.0, 0.5).reshape(3, 1))
                .addi(Nd4j.randn(DataType.DOUBLE, n, 1).muli(0.1));
        return new DataSet(x.castTo(type), y.castTo(type));
    }

    static MultiLayerNetwork net(IUpdater u, DataType type, Activation hidden) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12).dataType(type)
                .updater(u).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(16).activation(hidden).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /** Mini-batches of {@code batch} examples of {@code data}. */
    static ListDataSetIterator<DataSet> batches(DataSet data, int batch) {
        return new ListDataSetIterator<>(data.asList(), batch);
    }

    /** Records, in iterationDone, AdaptiveSteps' read-backs and the score (add it after the listener under test). */
    static final class Reference extends BaseTrainingListener {
        final List<Integer> iteration = new ArrayList<>();
        final List<Double> accumulator = new ArrayList<>();
        final List<Double> step = new ArrayList<>();
        final List<Long> recoveries = new ArrayList<>();
        final List<Double> loss = new ArrayList<>();

        @Override
        public void iterationDone(Model model, int it, int epoch) {
            iteration.add(it);
            accumulator.add(AdaptiveSteps.accumulator(model).orElse(Double.NaN));
            step.add(AdaptiveSteps.currentStep(model).orElse(Double.NaN));
            recoveries.add(AdaptiveSteps.recoveries(model).orElse(-1));
            loss.add(model.score());
        }

        int indexOf(int it) {
            int k = iteration.indexOf(it);
            if (k < 0) {
                throw new AssertionError("iteration " + it + " not recorded");
            }
            return k;
        }
    }
}
