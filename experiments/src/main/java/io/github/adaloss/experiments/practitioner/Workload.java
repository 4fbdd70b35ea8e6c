package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One configuration of the practitioner suite: a network as published in DL4J's examples (architecture,
 * initialization, regularization, batch size, updater), its data, and a fixed training budget.
 */
public interface Workload {

    /** @return short identifier (lower case), e.g. {@code "mlp"} */
    String id();

    /** @return what it is and where it comes from, including what was changed (the budget) */
    String source();

    /** @return true for a regression (metric: relative error, lower is better), false for a classifier (accuracy) */
    boolean regression();

    /** @return the updater the published configuration uses */
    IUpdater publishedUpdater();

    /**
     * @param updater the updater to train with
     * @param seed    the configuration's seed (same seed, same initial parameters, whatever the updater)
     * @return an initialized MultiLayerNetwork or ComputationGraph
     * @throws IOException if data needed to build it (a pretrained base) cannot be read
     */
    Model build(IUpdater updater, long seed) throws IOException;

    /**
     * @param seed shuffling seed of the training order
     * @return the mini-batches in training order (all epochs) and the test set
     * @throws IOException if the data cannot be read
     */
    Data data(long seed) throws IOException;

    /** @return true if a run costs seconds (CNNs): the short suite runs a reduced grid on it */
    boolean heavy();

    /**
     * @param conf a MultiLayerNetwork configuration
     * @return a network on {@code conf}, initialized (its parameters drawn from the configuration's seed)
     */
    static MultiLayerNetwork initialized(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * @param batches   mini-batches in the order they are fed (all epochs)
     * @param test      held-out examples
     * @param targetStd standard deviation of the test targets (regression), NaN for classifiers
     */
    record Data(List<DataSet> batches, DataSet test, double targetStd) {
    }
}
