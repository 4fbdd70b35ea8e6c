package io.github.adaloss.ntk.kernel;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

/** Small double-precision test networks of the kernel tests, and the parameter indices their Jacobians cover. */
final class TestNetworks {

    private TestNetworks() {
    }

    /**
     * @param seed   configuration seed
     * @param input  input type (sets nIn and the preprocessors)
     * @param layers layers in order
     * @return an initialized double-precision network: XAVIER init, {@code Sgd(0.1)}
     */
    static MultiLayerNetwork sequential(long seed, InputType input, Layer... layers) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list();
        for (Layer l : layers) {
            b.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(input).build());
        net.init();
        return net;
    }

    /**
     * @param net a network
     * @return the flattened indices of its trainable parameters (frozen layers excluded), ascending
     */
    static int[] trainableIndices(Model net) {
        List<Integer> idx = new ArrayList<>();
        for (long[] r : new TrainableParameters(net).ranges) {
            for (long i = r[0]; i < r[1]; i++) {
                idx.add((int) i);
            }
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }
}
