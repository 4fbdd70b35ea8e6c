package io.github.adaloss.it.support;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks shared by the pipeline tests. */
public final class Nets {

    private Nets() {
    }

    /**
     * Iris classifier 4 -> hidden (tanh) -> ... -> 3 (softmax, multi-class cross-entropy), Xavier init.
     *
     * @param updater updater of every layer
     * @param seed    weight-init seed
     * @param hidden  widths of the hidden layers (at least one)
     * @return an initialised network (no listeners)
     */
    public static MultiLayerNetwork irisClassifier(IUpdater updater, long seed, int... hidden) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .list();
        int in = 4;
        for (int i = 0; i < hidden.length; i++) {
            list.layer(i, new DenseLayer.Builder().nIn(in).nOut(hidden[i]).activation(Activation.TANH).build());
            in = hidden[i];
        }
        list.layer(hidden.length, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(in).nOut(3).activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * @param net a network
     * @param ds  data
     * @return the network's mean loss on {@code ds} (inference mode)
     */
    public static double loss(MultiLayerNetwork net, DataSet ds) {
        return net.score(ds, false);
    }
}
