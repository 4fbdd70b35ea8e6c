package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.github.adaloss.testing.OptimizerCase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** The {@code IUpdater} contract, for every optimizer: value equality, cloning, JSON and Java serialization. */
class ConfigContractTest {

    static List<OptimizerCase> cases() {
        return OptimizerCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valueEqualityAndIndependentClone(OptimizerCase c) {
        IUpdater a = c.config().get();
        IUpdater b = c.config().get();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        IUpdater clone = a.clone();
        assertNotSame(a, clone);
        assertEquals(a, clone);
        clone.setLrAndSchedule(0.123, null);
        assertNotEquals(a, clone, "changing the clone's learning rate must not be equal any more");
        assertEquals(c.config().get(), a, "the original is unchanged");
        assertEquals(0.123, clone.getLearningRate(5, 1), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void multiLayerConfigurationJsonRoundTrip(OptimizerCase c) {
        IUpdater u = c.config().get();
        IUpdater scheduled = u.clone();
        scheduled.setLrAndSchedule(Double.NaN, new ExponentialSchedule(ScheduleType.ITERATION, 0.2, 0.99));
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(u).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).updater(scheduled).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(scheduled, updaterOf(back.getConf(0).getLayer()));
        assertEquals(u, updaterOf(back.getConf(1).getLayer()));
        assertEquals(0.2 * 0.99 * 0.99, updaterOf(back.getConf(0).getLayer()).getLearningRate(2, 0), 1e-15);
        assertEquals(conf, MultiLayerConfiguration.fromYaml(conf.toYaml()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void computationGraphConfigurationJsonRoundTrip(OptimizerCase c) {
        IUpdater u = c.config().get();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().updater(u).graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(3).nOut(4).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(u, updaterOf(back.getVertices().get("out") instanceof
                org.deeplearning4j.nn.conf.graph.LayerVertex lv ? lv.getLayerConf().getLayer() : null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaSerializationRoundTrip(OptimizerCase c) throws Exception {
        IUpdater u = c.config().get();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(u);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(u, in.readObject());
        }
    }

    private static IUpdater updaterOf(Layer layer) {
        return ((BaseLayer) layer).getIUpdater();
    }
}
