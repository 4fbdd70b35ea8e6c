package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** {@code new X(learningRate)} and {@code new X(schedule)}, as DL4J's own updaters: values, defaults, JSON. */
class Dl4jStyleConstructorsTest {

    @Test
    void learningRateConstructorEqualsTheBuilderWithDefaults() {
        assertEquals(AdaLoss.builder().learningRate(0.5).build(), new AdaLoss(0.5));
        assertEquals(AdamLoss.builder().learningRate(0.5).build(), new AdamLoss(0.5));
        assertEquals(new AdaGradNorm(0.5, AdaGradNorm.DEFAULT_B0), new AdaGradNorm(0.5));
        assertEquals(new HeavyBall(0.5, HeavyBall.DEFAULT_MOMENTUM), new HeavyBall(0.5));
    }

    @Test
    void scheduleConstructorFollowsTheScheduleAndSurvivesJson() {
        ISchedule s = new StepSchedule(ScheduleType.ITERATION, 0.5, 0.1, 10);
        for (IUpdater u : new IUpdater[] {new AdaLoss(s), new AdaGradNorm(s), new AdamLoss(s), new HeavyBall(s)}) {
            assertEquals(0.5, u.getLearningRate(0, 0), 1e-15, u.toString());
            assertEquals(0.05, u.getLearningRate(10, 0), 1e-15, u.toString());
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(u).list()
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                            .activation(Activation.IDENTITY).build()).build();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            assertEquals(u, ((BaseLayer) back.getConf(0).getLayer()).getIUpdater(), "JSON round trip of " + u);
        }
    }

    @Test
    void badValuesNameTheFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaLoss(-1.0));
        assertTrue(e.getMessage().contains("learningRate") && e.getMessage().contains("-1.0"), e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class, () -> new AdamLoss((ISchedule) null));
        assertTrue(n.getMessage().contains("learningRateSchedule"), n.getMessage());
    }
}
