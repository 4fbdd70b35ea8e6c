package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.TwoLayerReluFixture;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The AdaLoss paper's claim on an over-parameterized two-layer ReLU regression (n = 40, d = 10, m = 2000, unit-norm
 * inputs, full batch, float64, DL4J's mean squared error): one learning rate, every b0 in {1e-3, ..., 1e3} reaches
 * a small training loss, while gradient descent with the corresponding constant step eta / b0 diverges at the
 * large-step end of the same grid.
 */
class RobustnessTest {

    private static final double ETA = 1e4;
    private static final int ITERATIONS = 400;

    @Test
    void adaLossConvergesForEveryB0WhileSgdWithTheSameStepsDiverges() {
        TwoLayerReluFixture fx = new TwoLayerReluFixture(40, 10, 2000, 1);
        DataSet ds = fx.dataSet();
        StringBuilder report = new StringBuilder();
        int sgdDiverged = 0;
        for (int k = -3; k <= 3; k++) {
            double b0 = Math.pow(10, k);
            MultiLayerNetwork net = fx.network(new AdaLoss(ETA, b0));
            double[] loss = TwoLayerReluFixture.train(net, ds, ITERATIONS);
            double relative = loss[ITERATIONS] / loss[0];
            report.append(String.format("b0=%g: AdaLoss relative loss %.3g, final b %.4g; ", b0, relative,
                    AdaptiveSteps.accumulator(net).getAsDouble()));
            assertTrue(relative < 1e-6, "AdaLoss b0=" + b0 + " relative loss " + relative + "; " + report);

            double[] sgd = TwoLayerReluFixture.train(fx.network(new Sgd(ETA / b0)), ds, ITERATIONS);
            boolean diverged = Double.isInfinite(sgd[ITERATIONS]) || Double.isNaN(sgd[ITERATIONS])
                    || sgd[ITERATIONS] > 10 * sgd[0];
            report.append(String.format("Sgd(%g) %s%n", ETA / b0, diverged ? "diverged" : "final " + sgd[ITERATIONS]));
            if (diverged) {
                sgdDiverged++;
            }
            if (k == -3) {
                assertTrue(diverged, "Sgd with the largest step must diverge: " + report);
            }
        }
        assertTrue(sgdDiverged >= 4, "Sgd should diverge for most of the grid: " + report);
    }
}
