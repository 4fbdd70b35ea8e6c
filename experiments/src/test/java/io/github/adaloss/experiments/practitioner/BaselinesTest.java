package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.common.primitives.Pair;

/**
 * The paper's baselines of the realistic benchmark against plain-Java references: per-row AdaGrad-Norm on a network
 * with a convolution and dense layers (rows = output units / channels; bias elements on their own), and the
 * SGD-DecaySqrt schedule against {@code eta / sqrt(b0^2 + t)}.
 */
class BaselinesTest {

    private static MultiLayerConfiguration net(IUpdater u) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(u).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 1)).build();
    }

    private static DataSet batch(long seed, int n) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, 1, 5, 5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return new DataSet(x, y);
    }

    @Test
    void perRowAdaGradNormMatchesAPlainJavaReferenceOverThreeSteps() {
        double eta = 0.3;
        double b0 = 0.5;
        MultiLayerNetwork net = new MultiLayerNetwork(net(new Sgd(1)));
        net.init();
        RowAdaGradNorm.applyTo(net, eta, b0);
        MultiLayerNetwork ref = new MultiLayerNetwork(net(new Sgd(1)));
        ref.init();
        assertEquals(ref.params(), net.params());
        // row lengths of the reference: conv W [2,1,3,3] -> 2 rows of 9; dense W [18,4] 'f' -> 4 rows of 18;
        // output W [4,3] 'f' -> 3 rows of 4; every bias element a row of its own
        String[] params = {"0_W", "0_b", "1_W", "1_b", "2_W", "2_b"};
        int[] rowLen = {9, 1, 18, 1, 4, 1};
        java.util.Map<String, double[]> sumSq = new java.util.HashMap<>();
        for (int step = 0; step < 3; step++) {
            DataSet b = batch(step, 6);
            ref.setInput(b.getFeatures());
            ref.setLabels(b.getLabels());
            ref.computeGradientAndScore();
            Pair<Gradient, Double> gs = ref.gradientAndScore();
            for (int p = 0; p < params.length; p++) {
                INDArray param = ref.getParam(params[p]);
                double[] w = Nd4j.toFlattened(param.ordering(), param).toDoubleVector();
                double[] g = Nd4j.toFlattened(param.ordering(), gs.getFirst().getGradientFor(params[p]))
                        .toDoubleVector();
                int rows = w.length / rowLen[p];
                double[] s = sumSq.computeIfAbsent(params[p], k -> {
                    double[] init = new double[rows];
                    java.util.Arrays.fill(init, b0 * b0);
                    return init;
                });
                for (int r = 0; r < rows; r++) {
                    double sq = 0;
                    for (int k = 0; k < rowLen[p]; k++) {
                        double gi = g[r * rowLen[p] + k] / 6; // DL4J divides by the mini-batch size
                        sq += gi * gi;
                    }
                    s[r] += sq;
                    for (int k = 0; k < rowLen[p]; k++) {
                        w[r * rowLen[p] + k] -= eta / Math.sqrt(s[r]) * g[r * rowLen[p] + k] / 6;
                    }
                }
                param.assign(Nd4j.createFromArray(w).reshape(param.ordering(), param.shape()));
            }
            net.fit(b);
            assertEquals(0, ref.params().sub(net.params()).norm2Number().doubleValue()
                    / ref.params().norm2Number().doubleValue(), 1e-12, "step " + step);
        }
        assertEquals(2 + 2 + 4 + 4 + 3 + 3, net.getUpdater().getStateViewArray().length(), "one b per row");
    }

    @Test
    void rowLengthMustDivideEveryParameter() {
        assertThrows(IllegalStateException.class, () -> new RowAdaGradNorm(1, 1, 7).stateSize(20));
        assertThrows(IllegalArgumentException.class, () -> new RowAdaGradNorm(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RowAdaGradNorm(1, Double.NaN, 1));
    }

    @Test
    void sgdDecaySqrtStepIsEtaOverSqrtOfB0SquaredPlusT() {
        for (OptimizerSpec s : OptimizerGrid.b0Table(OptimizerGrid.SGD_DECAY_SQRT)) {
            for (int t : new int[] {0, 1, 10, 1000}) {
                assertEquals(s.eta() / Math.sqrt(s.b0() * s.b0() + t), s.updater().getLearningRate(t, 0),
                        1e-12 * s.eta() / s.b0(), s.label() + " at t=" + t);
            }
        }
        for (OptimizerSpec s : OptimizerGrid.b0Table(OptimizerGrid.SGD_CONSTANT)) {
            assertEquals(s.eta() / s.b0(), s.updater().getLearningRate(500, 0), 1e-15, s.label());
        }
    }

    @Test
    void benchmarkGridHoldsThePapersTableInItsFirstTwoTiers() {
        List<OptimizerSpec> t0 = OptimizerGrid.benchmark(new Sgd(0.1), 0, true);
        List<OptimizerSpec> t1 = OptimizerGrid.benchmark(new Sgd(0.1), 1, true);
        assertEquals(1 + 3 * 5, t0.size());
        assertEquals(3 * 5, t1.size());
        assertEquals(2 * 5, OptimizerGrid.benchmark(new Sgd(0.1), 1, false).size());
        assertEquals(4 + 4 + 3 * 4, OptimizerGrid.benchmark(new Sgd(0.1), 2, true).size());
        // tier 3: the loss-scale rule over b0, at AdaLoss' default eta
        List<OptimizerSpec> t3 = OptimizerGrid.benchmark(new Sgd(0.1), 3, true);
        assertEquals(5, t3.size());
        assertTrue(t3.stream().allMatch(s -> s.family().equals(OptimizerGrid.ADALOSS_RELATIVE) && s.eta() == 1));
        assertThrows(IllegalArgumentException.class, () -> OptimizerGrid.benchmark(new Sgd(0.1), 4, true));
    }

    @Test
    void recurrentLayersAreRefusedByThePerRowBaseline() throws Exception {
        Model lstm = new LstmWorkload(new Budget(450, 150, 1)).build(new Sgd(0.1), 1);
        assertEquals(false, RowAdaGradNorm.applicable(lstm));
        assertThrows(IllegalArgumentException.class, () -> RowAdaGradNorm.applyTo(lstm, 1, 1));
    }
}
