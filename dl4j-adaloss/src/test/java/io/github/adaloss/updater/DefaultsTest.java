package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisData;
import io.github.adaloss.testing.TwoLayerReluFixture;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Every optimizer with its documented defaults (no hyperparameter touched) trains both reference problems. */
class DefaultsTest {

    static List<IUpdater> defaults() {
        return List.of(new AdaLoss(), new AdaGradNorm(), new AdamLoss(), new HeavyBall());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaults")
    void irisSoftmaxReaches90PercentTrainingAccuracy(IUpdater updater) {
        DataSet ds = IrisData.standardized(DataType.FLOAT);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.addListeners(new LossFeedListener());
        for (int t = 0; t < 200; t++) {
            net.fit(ds);
        }
        Evaluation e = new Evaluation(3);
        INDArray out = net.output(ds.getFeatures());
        e.eval(ds.getLabels(), out);
        assertTrue(e.accuracy() >= 0.9, updater + ": training accuracy " + e.accuracy());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaults")
    void twoLayerRegressionReachesSmallLoss(IUpdater updater) {
        int n = 40;
        TwoLayerReluFixture fx = new TwoLayerReluFixture(n, 10, 1000, 3);
        MultiLayerNetwork net = fx.network(updater, 0.5 * n);
        double[] loss = TwoLayerReluFixture.train(net, fx.dataSet(), 1000);
        double relative = loss[1000] / loss[0];
        assertTrue(relative < 1e-4, updater + ": relative loss after 1000 full-batch steps " + relative
                + " (initial " + loss[0] + ")");
    }
}
