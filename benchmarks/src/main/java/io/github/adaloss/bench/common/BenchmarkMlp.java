package io.github.adaloss.bench.common;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The benchmark network of the updater and listener measurements: a 784-1024-1024-10 MLP (ReLU, softmax output,
 * MCXENT, FLOAT, 1,863,690 parameters), and its fixed mini-batch of uniform random inputs with one-hot labels.
 */
public final class BenchmarkMlp {

    private BenchmarkMlp() {
    }

    /**
     * @param seed    the configuration's seed
     * @param updater the updater of every layer
     * @param init    the weight initialization, or null for DL4J's default
     * @return the initialized network
     */
    public static MultiLayerNetwork classifier(long seed, IUpdater updater, WeightInit init) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(updater);
        if (init != null) {
            b.weightInit(init);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1024).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /**
     * Draws from ND4J's global RNG (seed it first for a reproducible batch).
     *
     * @param n examples
     * @return inputs [n, 784] uniform in [0, 1), FLOAT; labels one-hot [n, 10], class {@code i % 10}
     */
    public static DataSet batch(int n) {
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        return new DataSet(x, y);
    }
}
