package io.github.adaloss.testing;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Iris regression of the petal width from the other three features (standardized), and the 3-16-1 MLP (MSE) the
 * recovery tests train on it.
 */
public final class IrisRegression {

    private IrisRegression() {
    }

    /** @param type data type of features and labels @return the 150 examples */
    public static DataSet data(DataType type) {
        DataSet iris = IrisData.standardized(DataType.DOUBLE);
        INDArray f = iris.getFeatures();
        INDArray x = f.getColumns(0, 1, 2).castTo(type);
        INDArray y = f.getColumn(3).reshape(f.rows(), 1).castTo(type);
        return new DataSet(x, y);
    }

    /**
     * @param u         the updater of every layer
     * @param type      the network's data type
     * @param hidden    the hidden activation
     * @param listeners attached in this order
     * @return an initialised 3-16-1 MLP (seed 12)
     */
    public static MultiLayerNetwork net(IUpdater u, DataType type, Activation hidden, TrainingListener... listeners) {
        return net(u, u, type, hidden, listeners);
    }

    /**
     * @param hiddenUpdater the updater of the hidden layer
     * @param outputUpdater the updater of the output layer
     * @param type          the network's data type
     * @param hidden        the hidden activation
     * @param listeners     attached in this order
     * @return an initialised 3-16-1 MLP (seed 12)
     */
    public static MultiLayerNetwork net(IUpdater hiddenUpdater, IUpdater outputUpdater, DataType type,
                                        Activation hidden, TrainingListener... listeners) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12).dataType(type)
                .list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(16).activation(hidden).updater(hiddenUpdater).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).updater(outputUpdater).build())
                .build());
        net.init();
        net.addListeners(listeners);
        return net;
    }
}
