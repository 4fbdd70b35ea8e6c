package io.github.adaloss.experiments.saddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

class NoiseIsotropyTest {

    @Test
    void closedFormTwoByTwo() {
        // mean 0, C = diag(1/2, 2): iso = (5/2)^2 / (2 * (1/4 + 4)) = 0.73529..., v = diag(C) so D C D = I: iso 1
        NoiseIsotropy r = NoiseIsotropy.of(new double[][] {{1, 0}, {-1, 0}, {0, 2}, {0, -2}});
        assertEquals(6.25 / 8.5, r.raw(), 1e-12);
        assertEquals(1.0, r.preconditioned(), 1e-12);
    }

    @Test
    void participationOfIdentityAndRankOne() {
        assertEquals(1.0, NoiseIsotropy.participation(new double[][] {{3, 0, 0}, {0, 3, 0}, {0, 0, 3}}), 1e-15);
        assertEquals(1.0 / 3, NoiseIsotropy.participation(new double[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}), 1e-15);
    }

    @Test
    void rawIsotropyIsScaleInvariantSoScalarStepsCannotChangeIt() {
        double[][] g = {{1, 2, 0.5}, {-0.3, 1, 2}, {0.7, -1, 0}, {2, 0.1, -1}};
        double[][] scaled = new double[g.length][];
        for (int i = 0; i < g.length; i++) {
            scaled[i] = java.util.Arrays.stream(g[i]).map(v -> 1e-3 * v).toArray();
        }
        assertEquals(NoiseIsotropy.of(g).raw(), NoiseIsotropy.of(scaled).raw(), 1e-12);
    }

    @Test
    void networkGradientsMatchPlainJavaGradientsOfTheLinearNet() {
        SaddleProblem p = new SaddleProblem(40, 4, 3, 10, 7);
        MultiLayerNetwork net = p.network(new Sgd(0.1), 0.5, 11);
        INDArray w1 = net.getParam("0_W"); // [d, h]
        INDArray w2 = net.getParam("1_W"); // [h, 1]
        INDArray x = p.data().getFeatures();
        INDArray y = p.data().getLabels();
        double[][] g = new double[40][];
        for (int i = 0; i < 40; i++) {
            double[] hidden = new double[3];
            double f = 0;
            for (int r = 0; r < 3; r++) {
                for (int j = 0; j < 4; j++) {
                    hidden[r] += w1.getDouble(j, r) * x.getDouble(i, j);
                }
                f += w2.getDouble(r, 0) * hidden[r];
            }
            double e = 2 * (f - y.getDouble(i, 0)); // d/df of (f - y)^2
            double[] row = new double[15];
            for (int r = 0; r < 3; r++) {
                for (int j = 0; j < 4; j++) {
                    row[r * 4 + j] = e * w2.getDouble(r, 0) * x.getDouble(i, j);
                }
                row[12 + r] = e * hidden[r];
            }
            g[i] = row;
        }
        INDArray before = net.params().dup();
        NoiseIsotropy fromNet = NoiseIsotropy.measure(net, p.data());
        NoiseIsotropy plain = NoiseIsotropy.of(g); // a coordinate permutation does not change either value
        assertEquals(plain.raw(), fromNet.raw(), 1e-9);
        assertEquals(plain.preconditioned(), fromNet.preconditioned(), 1e-9);
        assertEquals(before, net.params(), "measuring must not move the parameters");
    }

    @Test
    void badInputNamesTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoiseIsotropy.of(new double[][] {{1, 2}}));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SaddleProblem(10, -1, 3, 10, 1));
        assertTrue(e.getMessage().contains("d is invalid: -1"), e.getMessage());
    }
}
