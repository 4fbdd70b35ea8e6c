package io.github.adaloss.ntk.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** The two-layer network: exact objective and gradient, fixed output weights, reproducible initialization. */
class TwoLayerNetworkTest {

    private static final int N = 12;
    private static final int D = 5;
    private static final int M = 64;

    private static double[][] toArray(INDArray a) {
        return a.toDoubleMatrix();
    }

    /** Plain-Java f(x_i) = sum_r a'_r relu(w_r . x_i) with a' the stored output weights. */
    private static double[] forward(double[][] x, double[][] w, double[][] a) {
        double[] f = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int r = 0; r < M; r++) {
                double z = 0;
                for (int j = 0; j < D; j++) {
                    z += x[i][j] * w[j][r];
                }
                f[i] += a[r][0] * Math.max(0, z);
            }
        }
        return f;
    }

    @Test
    void scoreIsHalfSumOfSquaresAndSgdStepIsExactGradientDescent() {
        DataSet ds = SphereData.generate(N, D, SphereData.Labels.GAUSSIAN, 3);
        double lr = 0.05;
        MultiLayerNetwork net = TwoLayerNetwork.builder().inputSize(D).width(M).sampleCount(N).seed(9)
                .updater(new Sgd(lr)).build().network();
        double[][] x = toArray(ds.getFeatures());
        double[] y = ds.getLabels().toDoubleVector();
        double[][] w = toArray(TwoLayerNetwork.hiddenWeights(net));
        double[][] a = toArray(TwoLayerNetwork.outputWeights(net));
        double[] f = forward(x, w, a);
        double loss = 0;
        for (int i = 0; i < N; i++) {
            loss += 0.5 * (f[i] - y[i]) * (f[i] - y[i]);
        }
        assertEquals(loss, net.score(ds), 1e-12 * loss);
        // dL/dw_jr = sum_i (f_i - y_i) a'_r 1{w_r . x_i > 0} x_ij
        double[][] expected = new double[D][M];
        for (int j = 0; j < D; j++) {
            for (int r = 0; r < M; r++) {
                double g = 0;
                for (int i = 0; i < N; i++) {
                    double z = 0;
                    for (int q = 0; q < D; q++) {
                        z += x[i][q] * w[q][r];
                    }
                    g += (f[i] - y[i]) * a[r][0] * (z > 0 ? 1 : 0) * x[i][j];
                }
                expected[j][r] = w[j][r] - lr * g;
            }
        }
        net.fit(ds);
        assertEquals(loss, net.score(), 1e-12 * loss, "score seen by the updater is L at the pre-update weights");
        double[][] after = toArray(TwoLayerNetwork.hiddenWeights(net));
        for (int j = 0; j < D; j++) {
            for (int r = 0; r < M; r++) {
                assertEquals(expected[j][r], after[j][r], 1e-12, "W[" + j + "," + r + "]");
            }
        }
        assertEquals(Nd4j.create(a), TwoLayerNetwork.outputWeights(net), "output weights a_r/sqrt(m) never move");
    }

    @Test
    void initializationIsReproducibleAndHasThePapersDistribution() {
        TwoLayerNetwork spec = TwoLayerNetwork.builder().updater(new Sgd(0.1)).inputSize(20).width(2000).sampleCount(10).seed(4)
                .initScale(0.5).build();
        MultiLayerNetwork a = spec.network();
        MultiLayerNetwork b = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(spec.configuration().toJson()));
        b.init();
        assertEquals(a.params(), b.params(), "the configuration (also after JSON) reproduces the weights");
        INDArray w = TwoLayerNetwork.hiddenWeights(a);
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.01);
        assertEquals(0.5, w.stdNumber().doubleValue(), 0.01);
        INDArray out = TwoLayerNetwork.outputWeights(a);
        double s = 1 / Math.sqrt(2000);
        assertEquals(s, Math.abs(out.getDouble(0)), 1e-15);
        assertEquals(2000 * s * s, out.mul(out).sumNumber().doubleValue(), 1e-9, "every |a_r| = 1/sqrt(m)");
        assertEquals(0.0, out.sumNumber().doubleValue() / (2000 * s), 0.1, "signs balanced");
    }

    @Test
    void invalidArgumentsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoLayerNetwork.builder().updater(new Sgd(0.1)).inputSize(3).width(-1).sampleCount(4).build());
        assertTrue(e.getMessage().contains("width") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TwoLayerNetwork.builder().updater(new Sgd(0.1)).inputSize(3).width(5).sampleCount(4).initScale(0).build());
        assertTrue(e.getMessage().contains("initScale"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TwoLayerNetwork.builder().inputSize(3).width(5).sampleCount(4).build());
        assertTrue(e.getMessage().contains("updater must be set"), e.getMessage());
    }

    @Test
    void unitNormPreProcessorScalesRowsAndRejectsZeroRows() {
        DataSet ds = new DataSet(Nd4j.create(new double[][] {{3, 4}, {0, -2}}), Nd4j.zeros(2, 1));
        new UnitNormPreProcessor().preProcess(ds);
        assertEquals(Nd4j.create(new double[][] {{0.6, 0.8}, {0, -1}}), ds.getFeatures());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnitNormPreProcessor.normalizeRows(Nd4j.create(new double[][] {{1, 1}, {0, 0}})));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
}
