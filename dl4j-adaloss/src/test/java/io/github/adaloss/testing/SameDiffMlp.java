package io.github.adaloss.testing;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The same 2-layer MLP (4 -> 10 ReLU -> 3 softmax, mean multi-class cross-entropy) as a MultiLayerNetwork and as
 * a SameDiff graph with the MultiLayerNetwork's weights copied into the graph's variables {@code w0, b0, w1, b1}
 * (placeholders {@code in}, {@code label}; loss variable {@code loss}).
 */
public final class SameDiffMlp {

    /** The variables of the graph, in the order of the MultiLayerNetwork's parameters. */
    public static final String[] VARIABLES = {"w0", "b0", "w1", "b1"};
    private static final String[] MLN_PARAMS = {"0_W", "0_b", "1_W", "1_b"};

    private SameDiffMlp() {
    }

    /**
     * @param updater the updater
     * @param type    the network's data type
     * @return an initialized MultiLayerNetwork (seed 2), without listeners
     */
    public static MultiLayerNetwork network(IUpdater updater, DataType type) {
        return network(updater, type, 0);
    }

    /**
     * @param updater     the updater
     * @param type        the network's data type
     * @param weightDecay DL4J's {@code WeightDecay} coefficient (learning rate applied), 0 for none, on weights and biases
     * @return an initialized MultiLayerNetwork (seed 2), without listeners
     */
    public static MultiLayerNetwork network(IUpdater updater, DataType type, double weightDecay) {
        List<Regularization> decay = weightDecay > 0 ? List.of(new WeightDecay(weightDecay, true)) : List.of();
        // set on the layers: in M2.1 NeuralNetConfiguration.Builder.weightDecay(c, true) puts TWO WeightDecay
        // instances on each weight and none on the biases
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).dataType(type)
                .updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(10).activation(Activation.RELU).regularization(decay)
                        .regularizationBias(decay).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(10).nOut(3)
                        .activation(Activation.SOFTMAX).regularization(decay).regularizationBias(decay).build())
                .build());
        net.init();
        return net;
    }

    /**
     * @param net     the network whose weights the graph starts from (copied)
     * @param updater the graph's updater
     * @return the graph with its training configuration set, without listeners
     */
    public static SameDiff graph(MultiLayerNetwork net, IUpdater updater) {
        return graph(net, updater, 0);
    }

    /**
     * @param net         the network whose weights the graph starts from (copied)
     * @param updater     the graph's updater
     * @param weightDecay SameDiff's {@code WeightDecay} coefficient (learning rate applied) on every variable, 0 for none
     * @return the graph with its training configuration set, without listeners
     */
    public static SameDiff graph(MultiLayerNetwork net, IUpdater updater, double weightDecay) {
        DataType type = net.params().dataType();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", type, -1, 4);
        SDVariable label = sd.placeHolder("label", type, -1, 3);
        SDVariable w0 = sd.var("w0", net.getParam("0_W").dup('c'));
        SDVariable b0 = sd.var("b0", net.getParam("0_b").dup('c'));
        SDVariable w1 = sd.var("w1", net.getParam("1_W").dup('c'));
        SDVariable b1 = sd.var("b1", net.getParam("1_b").dup('c'));
        SDVariable h = sd.nn.relu(in.mmul(w0).add(b0), 0);
        SDVariable logits = h.mmul(w1).add(b1);
        sd.loss.softmaxCrossEntropy("loss", label, logits, null);
        TrainingConfig.Builder config = TrainingConfig.builder().updater(updater).dataSetFeatureMapping("in")
                .dataSetLabelMapping("label");
        if (weightDecay > 0) {
            config.weightDecay(weightDecay, true);
        }
        sd.setTrainingConfig(config.build());
        return sd;
    }

    /** @return the graph's variables flattened in {@link #VARIABLES} order (each in 'c' order) */
    public static double[] graphParams(SameDiff sd) {
        return concat(sd.getVariable("w0").getArr(), sd.getVariable("b0").getArr(), sd.getVariable("w1").getArr(),
                sd.getVariable("b1").getArr());
    }

    /** @return the network's parameters in the same layout as {@link #graphParams} */
    public static double[] networkParams(MultiLayerNetwork net) {
        return concat(net.getParam(MLN_PARAMS[0]), net.getParam(MLN_PARAMS[1]), net.getParam(MLN_PARAMS[2]),
                net.getParam(MLN_PARAMS[3]));
    }

    private static double[] concat(org.nd4j.linalg.api.ndarray.INDArray... arrays) {
        int n = 0;
        for (var a : arrays) {
            n += (int) a.length();
        }
        double[] out = new double[n];
        int k = 0;
        for (var a : arrays) {
            double[] v = a.dup('c').reshape(a.length()).toDoubleVector();
            System.arraycopy(v, 0, out, k, v.length);
            k += v.length;
        }
        return out;
    }
}
