package io.github.adaloss.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The kernel's predictions against closed forms on a diagonal kernel, where every mode decays on its own. */
class LinearizedDynamicsTest {

    private static final double[][] H = {{1, 0, 0}, {0, 0.25, 0}, {0, 0, 0.01}};
    private static final double[] R0 = {1, 2, 3};

    @Test
    void gradientDescentLossIsTheSumOfItsModes() {
        LinearizedDynamics d = new LinearizedDynamics(H, R0);
        double s = 1.5;
        double[] loss = d.gradientDescent(s, 40);
        for (int t = 0; t <= 40; t++) {
            double expected = 0;
            for (int i = 0; i < 3; i++) {
                expected += 0.5 * R0[i] * R0[i] * Math.pow(1 - s * H[i][i], 2 * t);
            }
            assertEquals(expected, loss[t], 1e-12 * Math.max(1, expected), "t = " + t);
        }
        assertEquals(7, d.initialLoss(), 1e-15);
        assertEquals(1 + 0.25 * 4 + 0.01 * 9, d.initialGradientNormSquared(), 1e-15);
        assertEquals(Math.pow(1 - 1.5 * 0.01, 2), LinearizedDynamics.gradientDescentRate(new double[] {1, 0.25, 0.01},
                1.5), 1e-15);
        assertEquals(9, LinearizedDynamics.gradientDescentRate(new double[] {1, 0.25, 0.01}, 4), 1e-12);
    }

    @Test
    void heavyBallFollowsPolyaksRecursionAndItsRootModulus() {
        // one mode: r_{t+1} = (1 + beta - s lambda) r_t - beta r_{t-1}, r_{-1} = r_0
        double s = 1;
        double beta = 0.9;
        double lambda = 0.25;
        LinearizedDynamics d = new LinearizedDynamics(new double[][] {{lambda}}, new double[] {2});
        double[] loss = d.heavyBall(s, beta, 300);
        double prev = 2;
        double r = 2;
        for (int t = 1; t <= 300; t++) {
            double next = (1 + beta - s * lambda) * r - beta * prev;
            prev = r;
            r = next;
            assertEquals(0.5 * r * r, loss[t], 1e-9 * 0.5 * r * r + 1e-300, "t = " + t);
        }
        // under-damped: (1 + beta - s lambda)^2 = 2.7225 < 4 beta = 3.6, so |z|^2 = beta
        assertEquals(beta, LinearizedDynamics.heavyBallRate(new double[] {lambda}, s, beta), 1e-15);
        // over-damped (lambda tiny): the larger real root
        double a = 1 + beta - 1e-4;
        double z = (a + Math.sqrt(a * a - 4 * beta)) / 2;
        assertEquals(z * z, LinearizedDynamics.heavyBallRate(new double[] {1e-4}, 1, beta), 1e-12);
        assertEquals(5, LinearizedDynamics.iterationsTo(new double[] {1, 0.5, 0.1, 0.01, 0.001, 1e-4}, 1e-4));
        assertEquals(-1, LinearizedDynamics.iterationsTo(new double[] {1, 0.5}, 1e-4));
    }

    @Test
    void rejectsAKernelOfTheWrongShapeNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinearizedDynamics(new double[][] {{1, 0}}, new double[] {1, 2}));
        assertEquals("gram must be 2 x 2, got 1 rows", e.getMessage());
    }
}
