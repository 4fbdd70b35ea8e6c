package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Optimizer state per network on the benchmark's 784-1024-1024-10 MLP (P = 1,863,690 parameters in 6 arrays):
 * AdaLoss and AdaGradNorm keep O(1) numbers per network (2 per parameter array), Adam and AdamLoss 2P.
 */
class StateSizeTest {

    private static long stateLength(IUpdater u) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(u).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1024).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        assertEquals(1_863_690, net.numParams());
        return net.getUpdater().getStateViewArray().length();
    }

    @Test
    void stateLengths() {
        long p = 1_863_690;
        assertEquals(12, stateLength(new AdaLoss()));
        assertEquals(12, stateLength(new AdaGradNorm()));
        assertEquals(p, stateLength(new HeavyBall()));
        assertEquals(2 * p, stateLength(new Adam()));
        assertEquals(2 * p + 12, stateLength(new AdamLoss()));
    }

    @Test
    void lossFeedListenerIsSerializable() throws Exception {
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(new LossFeedListener());
        }
    }
}
