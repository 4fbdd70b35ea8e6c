package io.github.adaloss.experiments.saddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.linear.MatrixUtils;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.RmsProp;

/** {@link FullMatrixPreconditioner} and {@link NoiseIsotropy#fullMatrix} against closed forms and DL4J's updaters. */
class FullMatrixPreconditionerTest {

    @Test
    void inverseRootOfATwoByTwoByHand() {
        // G = [[2,1],[1,2]]: eigenvalues 3 on (1,1)/sqrt2 and 1 on (1,-1)/sqrt2, so
        // G^{-1/2} = 1/2 [[1/sqrt3 + 1, 1/sqrt3 - 1], [1/sqrt3 - 1, 1/sqrt3 + 1]]
        double[][] a = FullMatrixPreconditioner.inverseRoot(new double[][] {{2, 1}, {1, 2}}, 0);
        double r = 1 / Math.sqrt(3);
        assertEquals((r + 1) / 2, a[0][0], 1e-14);
        assertEquals((r - 1) / 2, a[0][1], 1e-14);
        assertEquals((r - 1) / 2, a[1][0], 1e-14);
        assertEquals((r + 1) / 2, a[1][1], 1e-14);
        // with eps: 1/(sqrt(lambda) + eps) on each eigenvector
        double[][] b = FullMatrixPreconditioner.inverseRoot(new double[][] {{2, 1}, {1, 2}}, 0.5);
        assertEquals((1 / (Math.sqrt(3) + 0.5) + 1 / 1.5) / 2, b[0][0], 1e-14);
        assertEquals((1 / (Math.sqrt(3) + 0.5) - 1 / 1.5) / 2, b[0][1], 1e-14);
    }

    @Test
    void firstStepIsTheNormalizedGradient() {
        // G_1 = g g^T: A g = g / (|g| + eps) for AdaGrad, g / (sqrt(1 - beta) |g| + eps) for RMSProp
        double[] g = {3, -4, 0, 12};
        double[] s = FullMatrixPreconditioner.adaGrad(1e-6).step(g);
        double[] t = FullMatrixPreconditioner.rmsProp(0.9, 1e-8).step(g);
        for (int k = 0; k < g.length; k++) {
            // rank-one G: its null directions are amplified by 1/eps, so rounding shows at a relative 1e-16/eps
            assertEquals(g[k] / (13 + 1e-6), s[k], 1e-8 * Math.abs(s[k]) + 1e-15);
            assertEquals(g[k] / (Math.sqrt(0.1) * 13 + 1e-8), t[k], 1e-6 * Math.abs(t[k]) + 1e-15);
        }
    }

    /**
     * Axis-aligned gradients keep G diagonal, where the full-matrix method is DL4J's diagonal one; rotating every
     * gradient by one orthogonal Q makes G non-diagonal, and the full-matrix step must be Q times DL4J's step.
     */
    @Test
    void rotatedAxisAlignedGradientsGiveDl4jsDiagonalStepsRotated() {
        int p = 5;
        double lr = 0.3;
        double[][] q = orthogonal(p, new Random(3));
        for (boolean rms : new boolean[] {false, true}) {
            GradientUpdater<?> dl4j = rms ? new RmsProp(lr, 0.9, 1e-8).instantiate(Nd4j.zeros(DataType.DOUBLE, 1, p), true)
                    : new AdaGrad(lr, 1e-6).instantiate(Nd4j.zeros(DataType.DOUBLE, 1, p), true);
            FullMatrixPreconditioner full = rms ? FullMatrixPreconditioner.rmsProp(0.9, 1e-8)
                    : FullMatrixPreconditioner.adaGrad(1e-6);
            Random rnd = new Random(11);
            for (int t = 0; t < 12; t++) {
                double[] g = new double[p];
                g[t < p ? t : rnd.nextInt(p)] = 0.5 + 2 * rnd.nextDouble(); // every axis seen by step p
                INDArray u = Nd4j.createFromArray(g.clone()).reshape(1, p);
                dl4j.applyUpdater(u, t, 0);
                double[] expected = MatrixUtils.createRealMatrix(q).operate(u.toDoubleVector());
                double[] step = full.step(MatrixUtils.createRealMatrix(q).operate(g));
                for (int k = 0; k < p; k++) {
                    // DL4J starts its accumulator at eps instead of 0: a relative difference of order eps/g^2
                    // (1.25e-6 measured on g = 2); an error in the matrix part would be of order 1
                    assertEquals(expected[k], lr * step[k], 1e-5 * Math.abs(expected[k]) + 1e-9,
                            (rms ? "RMSProp" : "AdaGrad") + " t=" + t + " k=" + k);
                }
            }
        }
    }

    @Test
    void idealPreconditionerWhitensAKnownCovariance() {
        // g = +-sqrt(P) L e_k: mean 0, C = M = L L^T (non-diagonal); A C A = I, so the full-matrix value is 1, while
        // the diagonal preconditioner leaves it below 1 and the raw value is iso(L L^T) by hand
        int p = 4;
        double[][] l = {{1, 0, 0, 0}, {0.9, 0.3, 0, 0}, {0.5, -0.2, 2, 0}, {0.1, 0.4, 0.7, 0.05}};
        double[][] g = new double[2 * p][p];
        for (int k = 0; k < p; k++) {
            for (int i = 0; i < p; i++) {
                g[2 * k][i] = Math.sqrt(p) * l[i][k];
                g[2 * k + 1][i] = -Math.sqrt(p) * l[i][k];
            }
        }
        double[][] c = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                for (int k = 0; k < p; k++) {
                    c[i][j] += l[i][k] * l[j][k];
                }
            }
        }
        assertEquals(1.0, NoiseIsotropy.fullMatrix(g), 1e-6);
        NoiseIsotropy diag = NoiseIsotropy.of(g);
        assertEquals(NoiseIsotropy.participation(c), diag.raw(), 1e-12);
        assertTrue(diag.preconditioned() < 0.95, "diagonal " + diag.preconditioned());
        assertEquals(p, NoiseIsotropy.covarianceRank(g));
    }

    @Test
    void rankDeficientNoiseReachesItsCeilingRankOverP() {
        // noise only in the first 2 of 5 coordinates, correlated: A C A is the projector on them, iso = 2/5
        double[][] g = {{1, 2, 0, 0, 0}, {-1, -2, 0, 0, 0}, {3, -1, 0, 0, 0}, {-3, 1, 0, 0, 0}};
        assertEquals(2, NoiseIsotropy.covarianceRank(g));
        assertEquals(0.4, NoiseIsotropy.fullMatrix(g), 1e-6);
        assertTrue(NoiseIsotropy.of(g).preconditioned() < 0.4);
    }

    @Test
    void rankDeficientNoiseWithAMeanMatchesTheClosedFormInRotatedCoordinates() {
        // g_i = Q (x_i, 0, 0, 0, 0, 0): rank-2 M on a support S = Q's first 2 columns, mean m != 0, C = M - m m^T.
        // On S, A = M^{-1/2} (eps negligible) and A C A = P_S - u u^T, u = A m, |u|^2 = s = m^T M^+ m, so its
        // eigenvalues are 1 (once) and 1 - s: iso = (2 - s)^2 / (P (1 + (1 - s)^2)). Q mixes the rounding-level null
        // space into every entry, where A is 1/eps.
        int p = 7;
        double[][] x = {{1, 2}, {-0.5, -1}, {3, -1}, {-2, 1.5}, {0.7, 0.2}};
        int n = x.length;
        double[] m = new double[2];
        double[][] mm = new double[2][2];
        for (double[] r : x) {
            for (int k = 0; k < 2; k++) {
                m[k] += r[k] / n;
                for (int l = 0; l < 2; l++) {
                    mm[k][l] += r[k] * r[l] / n;
                }
            }
        }
        double det = mm[0][0] * mm[1][1] - mm[0][1] * mm[1][0];
        double s = (m[0] * m[0] * mm[1][1] - 2 * m[0] * m[1] * mm[0][1] + m[1] * m[1] * mm[0][0]) / det;
        double expected = (2 - s) * (2 - s) / (p * (1 + (1 - s) * (1 - s)));
        double[][] q = orthogonal(p, new Random(17));
        double[][] g = new double[n][];
        for (int i = 0; i < n; i++) {
            g[i] = MatrixUtils.createRealMatrix(q).operate(new double[] {x[i][0], x[i][1], 0, 0, 0, 0, 0});
        }
        assertEquals(2, NoiseIsotropy.covarianceRank(g));
        assertEquals(expected, NoiseIsotropy.fullMatrix(g), 1e-6, "s = " + s);
    }

    @Test
    void inverseRootSquaredInvertsARandomMatrix() {
        // A = G^{-1/2} (eps 0) must satisfy A G A = I, checked with plain loops on a non-diagonal 12 x 12 G = B B^T + I
        Random rnd = new Random(5);
        int n = 12;
        double[][] b = new double[n][n];
        for (double[] row : b) {
            for (int j = 0; j < n; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] = i == j ? 1 : 0;
                for (int k = 0; k < n; k++) {
                    g[i][j] += b[i][k] * b[j][k];
                }
            }
        }
        double[][] a = FullMatrixPreconditioner.inverseRoot(g, 0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    for (int l = 0; l < n; l++) {
                        s += a[i][k] * g[k][l] * a[l][j];
                    }
                }
                assertEquals(i == j ? 1 : 0, s, 1e-10, i + "," + j);
                assertEquals(a[i][j], a[j][i], 1e-14, "symmetric");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FullMatrixPreconditioner.inverseRoot(new double[][] {{1, 2}, {2, Double.NaN}}, 0));
        assertTrue(e.getMessage().contains("non-finite entry in row 1: NaN"), e.getMessage());
    }

    @Test
    void badInputNamesTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FullMatrixPreconditioner.rmsProp(1.0, 1e-8));
        assertTrue(e.getMessage().contains("decay is invalid: 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FullMatrixPreconditioner.adaGrad(-1));
        assertTrue(e.getMessage().contains("epsilon is invalid: -1.0"), e.getMessage());
        FullMatrixPreconditioner f = FullMatrixPreconditioner.adaGrad(1e-6);
        e = assertThrows(IllegalArgumentException.class, () -> f.step(new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("non-finite entry at 1"), e.getMessage());
        assertEquals(null, f.secondMoment(), "a rejected gradient leaves no state");
    }

    @Test
    void anOverflowingSecondMomentIsRefusedAndLeavesTheStateAsItWas() {
        // a diverging run: finite gradient entries whose products overflow G (the seed-45 saddle control case)
        FullMatrixPreconditioner f = FullMatrixPreconditioner.adaGrad(1e-6);
        double[] first = f.step(new double[] {3, 4});
        // first step of full-matrix AdaGrad: G = g g^T, A g = g / |g| (up to eps)
        assertEquals(0.6, first[0], 1e-6);
        assertEquals(0.8, first[1], 1e-6);
        double[][] before = f.secondMoment();
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> f.step(new double[] {1e200, 1}));
        assertTrue(e.getMessage().startsWith("G_t overflows at entry (0, 0)"), e.getMessage());
        assertTrue(java.util.Arrays.deepEquals(before, f.secondMoment()), "G unchanged");
    }

    private static double[][] orthogonal(int p, Random rnd) {
        double[][] q = new double[p][p];
        for (int j = 0; j < p; j++) {
            double[] v = new double[p];
            for (int i = 0; i < p; i++) {
                v[i] = rnd.nextGaussian();
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < p; i++) {
                    dot += v[i] * q[i][k];
                }
                for (int i = 0; i < p; i++) {
                    v[i] -= dot * q[i][k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            for (int i = 0; i < p; i++) {
                q[i][j] = v[i] / Math.sqrt(norm);
            }
        }
        return q;
    }
}
