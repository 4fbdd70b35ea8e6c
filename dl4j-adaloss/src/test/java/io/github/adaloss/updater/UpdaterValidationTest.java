package io.github.adaloss.updater;

import static io.github.adaloss.testing.Assertions2.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.LinearRegressionFixture;
import io.github.adaloss.testing.OptimizerCase;
import io.github.adaloss.testing.ReferenceOptimizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Every updater checked three ways against its plain-Java reference ({@link ReferenceOptimizer}), in the manner
 * of DL4J's {@code UpdaterValidation}: (1) the {@link GradientUpdater} alone on fixed gradients and losses,
 * update and state; (2) restarted from its state map half-way; (3) inside a MultiLayerNetwork and a
 * ComputationGraph split into two updater blocks, against hand-computed gradients of a linear regression.
 */
class UpdaterValidationTest {

    private static final int STEPS = 8;
    private static final int LENGTH = 7;

    static Stream<Arguments> casesAndTypes() {
        return OptimizerCase.all().stream().flatMap(c -> Stream.of(
                Arguments.of(c, DataType.DOUBLE, 1e-6), Arguments.of(c, DataType.FLOAT, 2e-5)));
    }

    static List<OptimizerCase> cases() {
        return OptimizerCase.all();
    }

    private static double[][] gradients(long seed) {
        Random r = new Random(seed);
        double[][] g = new double[STEPS][LENGTH];
        for (double[] row : g) {
            for (int i = 0; i < LENGTH; i++) {
                row[i] = r.nextGaussian() * (1 + i);
            }
        }
        return g;
    }

    private static double[] losses() {
        double[] l = new double[STEPS];
        for (int t = 0; t < STEPS; t++) {
            l[t] = 2.5 / (1 + t) + 0.01 * t;
        }
        return l;
    }

    private static GradientUpdater<?> instantiate(IUpdater config, DataType type) {
        INDArray view = Nd4j.zeros(type, 1, config.stateSize(LENGTH));
        return config.instantiate(view, true);
    }

    private static double[] applyStep(GradientUpdater<?> u, double[] gradient, double loss, int t, DataType type) {
        INDArray g = Nd4j.create(gradient).castTo(type);
        NetworkStep.open(t, loss, List.of(new NetworkStep.Member((NetworkStepUpdater<?>) u, "block")));
        u.applyUpdater(g, t, 0);
        return g.toDoubleVector();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndTypes")
    void gradientUpdaterMatchesReference(OptimizerCase c, DataType type, double rel) {
        GradientUpdater<?> u = instantiate(c.config().get(), type);
        ReferenceOptimizer ref = c.reference().get();
        double[][] g = gradients(1);
        double[] l = losses();
        for (int t = 0; t < STEPS; t++) {
            double[] expected = ref.step(g[t], l[t], t);
            double[] actual = applyStep(u, g[t], l[t], t, type);
            assertRelClose(expected, actual, rel, c + " update at step " + t);
            if (!Double.isNaN(ref.b())) {
                assertRelClose(ref.b(), ((NetworkStepUpdater<?>) u).currentB(), rel, c + " b at step " + t);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stateMapRoundTripContinuesIdentically(OptimizerCase c) {
        GradientUpdater<?> original = instantiate(c.config().get(), DataType.DOUBLE);
        double[][] g = gradients(2);
        double[] l = losses();
        for (int t = 0; t < STEPS / 2; t++) {
            applyStep(original, g[t], l[t], t, DataType.DOUBLE);
        }
        Map<String, INDArray> copy = new HashMap<>();
        original.getState().forEach((k, v) -> copy.put(k, v.dup()));
        assertTrue(copy.size() >= 1, "state map must not be empty");
        GradientUpdater<?> restored = c.config().get().instantiate(copy, false);
        for (int t = STEPS / 2; t < STEPS; t++) {
            double[] a = applyStep(original, g[t], l[t], t, DataType.DOUBLE);
            double[] b = applyStep(restored, g[t], l[t], t, DataType.DOUBLE);
            assertRelClose(a, b, 1e-15, c + " after restore, step " + t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void multiLayerNetworkWithTwoBlocksMatchesReference(OptimizerCase c) {
        LinearRegressionFixture fx = new LinearRegressionFixture(3);
        MultiLayerNetwork net = fx.multiLayerNetwork(c.config().get());
        checkTrainingAgainstReference(c, fx, net, net.getUpdater());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void computationGraphWithTwoBlocksMatchesReference(OptimizerCase c) {
        LinearRegressionFixture fx = new LinearRegressionFixture(4);
        ComputationGraph net = fx.computationGraph(c.config().get());
        checkTrainingAgainstReference(c, fx, net, net.getUpdater());
    }

    private static void checkTrainingAgainstReference(OptimizerCase c, LinearRegressionFixture fx, Model net,
                                                      Object updater) {
        assertEquals(2, ((BaseMultiLayerUpdater<?>) updater).getUpdaterBlocks().size(), "W and b in two blocks");
        ReferenceOptimizer ref = c.reference().get();
        double[] p = net.params().toDoubleVector();
        DataSet ds = fx.dataSet();
        for (int t = 0; t < STEPS; t++) {
            double loss = fx.loss(p);
            double[] u = ref.step(fx.gradient(p), loss, t);
            for (int i = 0; i < p.length; i++) {
                p[i] -= u[i];
            }
            if (net instanceof MultiLayerNetwork mln) {
                mln.fit(ds);
            } else {
                ((ComputationGraph) net).fit(ds);
            }
            assertRelClose(loss, net.score(), 1e-9, c + " score at step " + t);
            assertRelClose(p, net.params().toDoubleVector(), 1e-9, c + " parameters after step " + t);
        }
    }
}
