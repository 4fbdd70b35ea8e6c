package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Lanczos extremes against a closed-form spectrum and against the dense solver ({@link NtkSpectrum}, LAPACK dsyev)
 * on NTK Gram matrices of a small MLP.
 */
class LanczosSpectrumTest {

    @Test
    void secondDifferenceMatrixMatchesItsClosedFormSpectrum() {
        // tridiag(-1, 2, -1) of size n: eigenvalues 2 - 2 cos(j pi / (n + 1)), j = 1..n; condition number 3.7e4 at
        // n = 300, the smallest eigenvalues clustered (the hard end for Lanczos)
        int n = 300;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 2;
            if (i > 0) {
                a[i][i - 1] = -1;
                a[i - 1][i] = -1;
            }
        }
        LanczosSpectrum s = LanczosSpectrum.of(Nd4j.create(a), 3, n, 1e-10, 7);
        double min = 2 - 2 * Math.cos(Math.PI / (n + 1));
        assertEquals(min, s.lambdaMin(), 1e-9 * 4, "lambda_min");
        for (int j = 0; j < 3; j++) {
            double exact = 2 - 2 * Math.cos((n - j) * Math.PI / (n + 1));
            assertEquals(exact, s.top()[j], 1e-10 * 4, "top " + j);
        }
        assertEquals(s.top()[0], s.lambdaMax(), 0.0);
        assertTrue(Math.abs(s.lambdaMin() - min) <= s.residualMin() + 1e-12, "error within the residual bound");
    }

    @Test
    void ntkGramExtremesMatchTheDenseSolver() {
        for (long seed = 1; seed <= 3; seed++) {
            MultiLayerNetwork net = TestNetworks.sequential(seed, InputType.feedForward(20),
                    new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build(),
                    new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                            .build());
            Nd4j.getRandom().setSeed(seed);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 400, 20);
            INDArray gram = EmpiricalNtk.gram(net, x);
            NtkSpectrum dense = NtkSpectrum.of(gram);
            LanczosSpectrum lanczos = LanczosSpectrum.of(gram, 5, 400, 1e-10, seed);
            double[] ev = dense.eigenvalues();
            assertTrue(lanczos.converged(), "converged: " + lanczos);
            assertEquals(dense.lambdaMax(), lanczos.lambdaMax(), 1e-10 * dense.lambdaMax(), "lambda_max");
            assertEquals(dense.lambdaMin(), lanczos.lambdaMin(), 1e-9 * dense.lambdaMax(), "lambda_min");
            assertTrue(Math.abs(dense.lambdaMin() - lanczos.lambdaMin()) / dense.lambdaMin() < 1e-6,
                    "lambda_min relative: " + dense.lambdaMin() + " vs " + lanczos.lambdaMin());
            for (int j = 0; j < 5; j++) {
                assertEquals(ev[ev.length - 1 - j], lanczos.top()[j], 1e-9 * dense.lambdaMax(), "top " + j);
            }
            // float Gram: the products in float, the same extremes to float accuracy
            LanczosSpectrum f = LanczosSpectrum.of(gram.castTo(DataType.FLOAT), 5, 400, 1e-6, seed);
            assertEquals(dense.lambdaMax(), f.lambdaMax(), 1e-5 * dense.lambdaMax(), "float lambda_max");
            assertEquals(dense.lambdaMin(), f.lambdaMin(), 1e-5 * dense.lambdaMax(), "float lambda_min");
            System.out.printf("seed %d: iterations %d of 400, lambda_min %.6g (dense %.6g), lambda_max %.6g%n", seed,
                    lanczos.iterations(), lanczos.lambdaMin(), dense.lambdaMin(), lanczos.lambdaMax());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        INDArray g = Nd4j.eye(4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LanczosSpectrum.of(g, 0, 4, 1e-8, 1))
                .getMessage().contains("topK"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LanczosSpectrum.of(g, 1, 0, 1e-8, 1))
                .getMessage().contains("maxIterations"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LanczosSpectrum.of(g, 1, 4, 0, 1))
                .getMessage().contains("tolerance"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LanczosSpectrum.of(Nd4j.zeros(2, 3), 1, 4, 1e-8, 1)).getMessage().contains("square"));
    }
}
