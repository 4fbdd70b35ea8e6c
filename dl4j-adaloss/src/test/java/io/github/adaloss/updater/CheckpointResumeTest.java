package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.adaloss.testing.IrisData;
import io.github.adaloss.testing.OptimizerCase;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Save with updater state, restore, train on: bit-identical to training without the interruption (FLOAT networks,
 * so the two-slot accumulator encoding is exercised), for every optimizer, MultiLayerNetwork and ComputationGraph.
 */
class CheckpointResumeTest {

    @TempDir
    Path dir;

    static List<OptimizerCase> cases() {
        return OptimizerCase.all();
    }

    private static MultiLayerNetwork mln(IUpdater u) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).updater(u).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(10).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(10).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.addListeners(new LossFeedListener());
        return net;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void multiLayerNetworkResumesBitIdentically(OptimizerCase c) throws Exception {
        DataSet ds = IrisData.standardized(DataType.FLOAT);
        MultiLayerNetwork reference = mln(c.config().get());
        MultiLayerNetwork interrupted = mln(c.config().get());
        for (int t = 0; t < 5; t++) {
            reference.fit(ds);
            interrupted.fit(ds);
        }
        File file = dir.resolve("mln.zip").toFile();
        ModelSerializer.writeModel(interrupted, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(AdaptiveSteps.accumulator(interrupted), AdaptiveSteps.accumulator(restored));
        restored.addListeners(new LossFeedListener());
        for (int t = 0; t < 5; t++) {
            reference.fit(ds);
            restored.fit(ds);
        }
        assertArrayEquals(reference.params().toFloatVector(), restored.params().toFloatVector(), 0f);
        assertArrayEquals(reference.getUpdater().getStateViewArray().toFloatVector(),
                restored.getUpdater().getStateViewArray().toFloatVector(), 0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void computationGraphResumesBitIdentically(OptimizerCase c) throws Exception {
        DataSet ds = IrisData.standardized(DataType.FLOAT);
        ComputationGraph reference = mln(c.config().get()).toComputationGraph();
        reference.addListeners(new LossFeedListener());
        ComputationGraph interrupted = reference.clone();
        interrupted.addListeners(new LossFeedListener());
        for (int t = 0; t < 5; t++) {
            reference.fit(ds);
            interrupted.fit(ds);
        }
        File file = dir.resolve("cg.zip").toFile();
        ModelSerializer.writeModel(interrupted, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        restored.addListeners(new LossFeedListener());
        for (int t = 0; t < 5; t++) {
            reference.fit(ds);
            restored.fit(ds);
        }
        assertArrayEquals(reference.params().toFloatVector(), restored.params().toFloatVector(), 0f);
    }
}
