package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.ntk.network.SphereData;
import io.github.adaloss.ntk.network.TwoLayerNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The empirical NTK against closed forms, finite differences, and its other implementation. */
class EmpiricalNtkTest {

    private static INDArray sphere(int n, int d, long seed) {
        return SphereData.generate(n, d, SphereData.Labels.GAUSSIAN, seed).getFeatures();
    }

    /** 3 -> 5 (tanh, bias) -> 5 -> 4 (sigmoid; optionally FrozenLayerWithBackprop) -> 4 (softplus) -> 3 (softmax). */
    private static MultiLayerNetwork mlp(boolean frozenMiddle) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build());
        DenseLayer middle = new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID).build();
        b.layer(frozenMiddle ? new FrozenLayerWithBackprop(middle) : middle)
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).activation(Activation.SOFTPLUS).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    @Test
    void twoLayerNetworkMatchesTheClosedFormOnBothPaths() {
        INDArray x = sphere(15, 6, 1);
        MultiLayerNetwork net = TwoLayerNetwork.builder().updater(new Sgd(0.1)).inputSize(6).width(300).sampleCount(15).seed(2).build()
                .network();
        INDArray closed = ReluNtk.finiteWidth(x, TwoLayerNetwork.hiddenWeights(net));
        EmpiricalNtk dense = EmpiricalNtk.builder(net).build();
        assertTrue(dense.usesDensePath());
        INDArray fast = dense.compute(x);
        INDArray generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
        assertEquals(15, fast.rows());
        assertTrue(PlainJava.maxRelDiff(closed.toDoubleMatrix(), fast) < 1e-10, "dense vs closed form");
        assertTrue(PlainJava.maxRelDiff(closed.toDoubleMatrix(), generic) < 1e-10, "generic vs closed form");
    }

    @Test
    void finiteWidthKernelApproachesTheInfiniteWidthKernel() {
        INDArray x = sphere(20, 8, 3);
        INDArray hinf = ReluNtk.infiniteWidth(x);
        double[] errors = new double[3];
        int[] widths = {100, 1000, 10000};
        for (int w = 0; w < widths.length; w++) {
            double sum = 0;
            for (int seed = 0; seed < 3; seed++) {
                MultiLayerNetwork net = TwoLayerNetwork.builder().updater(new Sgd(0.1)).inputSize(8).width(widths[w]).sampleCount(20)
                        .seed(seed).build().network();
                INDArray h = EmpiricalNtk.gram(net, x);
                sum += h.sub(hinf).norm2Number().doubleValue() / hinf.norm2Number().doubleValue();
            }
            errors[w] = sum / 3;
        }
        assertTrue(errors[1] < errors[0] / 2 && errors[2] < errors[1] / 2,
                "relative error should shrink like 1/sqrt(m): " + java.util.Arrays.toString(errors));
        assertTrue(errors[2] < 0.03, "m = 10^4 close to Hinf: " + errors[2]);
    }

    @Test
    void denseAndGenericPathsMatchFiniteDifferencesOnAMultiOutputMlp() {
        for (boolean frozen : new boolean[] {false, true}) {
            MultiLayerNetwork net = mlp(frozen);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 3).subi(0.5).muli(3);
            INDArray x2 = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5);
            double[][] j1 = PlainJava.jacobian(net, x, TestNetworks.trainableIndices(net), 1e-6);
            double[][] j2 = PlainJava.jacobian(net, x2, TestNetworks.trainableIndices(net), 1e-6);
            double[][] full = PlainJava.gram(j1, j1);
            double[][] cross = PlainJava.gram(j1, j2);
            for (EmpiricalNtk.Method m : new EmpiricalNtk.Method[] {EmpiricalNtk.Method.DENSE,
                    EmpiricalNtk.Method.GENERIC}) {
                String what = m + (frozen ? " with frozen layer" : "");
                assertTrue(PlainJava.maxRelDiff(full, EmpiricalNtk.builder(net).method(m).fullKernel().build()
                        .compute(x)) < 1e-7, what + " full kernel");
                assertTrue(PlainJava.maxRelDiff(PlainJava.trace(full, 3), EmpiricalNtk.builder(net).method(m).build()
                        .compute(x)) < 1e-7, what + " trace kernel");
                assertTrue(PlainJava.maxRelDiff(PlainJava.trace(cross, 3), EmpiricalNtk.builder(net).method(m)
                        .build().compute(x, x2)) < 1e-7, what + " train x test trace kernel");
                INDArray one = EmpiricalNtk.builder(net).method(m).output(2).build().compute(x);
                for (int i = 0; i < 6; i++) {
                    for (int j = 0; j < 6; j++) {
                        assertEquals(full[i * 3 + 2][j * 3 + 2], one.getDouble(i, j), 1e-7 * Math.abs(full[0][0]) + 1e-9,
                                what + " output 2");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "RRELU", mode = EnumSource.Mode.EXCLUDE)
    void densePathEqualsTheGenericPathForEveryHiddenActivation(Activation activation) {
        // the dense path multiplies the stacked output signals by phi'(z) for elementwise activations and
        // back-propagates through repeated z otherwise (softmax); the generic path is DL4J's own backprop
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(6).activation(activation).build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 3).subi(0.5).muli(3);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5).muli(3);
        for (boolean full : new boolean[] {false, true}) {
            EmpiricalNtk.Builder dense = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.DENSE);
            EmpiricalNtk.Builder generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC);
            if (full) {
                dense.fullKernel();
                generic.fullKernel();
            }
            EmpiricalNtk d = dense.build();
            EmpiricalNtk g = generic.build();
            assertTrue(PlainJava.maxRelDiff(g.compute(x).toDoubleMatrix(), d.compute(x)) < 1e-10,
                    activation + (full ? " full" : " trace") + " kernel");
            assertTrue(PlainJava.maxRelDiff(g.compute(x, x2).toDoubleMatrix(), d.compute(x, x2)) < 1e-10,
                    activation + (full ? " full" : " trace") + " cross kernel");
        }
    }

    @Test
    void frozenFeatureExtractorContributesNothingOnBothPaths() {
        MultiLayerNetwork net = new TransferLearning.Builder(mlp(false)).setFeatureExtractor(1).build();
        assertTrue(net.getLayer(0) instanceof org.deeplearning4j.nn.layers.FrozenLayer);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3);
        INDArray dense = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.DENSE).build().compute(x);
        INDArray generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
        assertTrue(PlainJava.maxRelDiff(dense.toDoubleMatrix(), generic) < 1e-10);
        double[][] fd = PlainJava.gram(PlainJava.jacobian(net, x, TestNetworks.trainableIndices(net), 1e-6),
                PlainJava.jacobian(net, x, TestNetworks.trainableIndices(net), 1e-6));
        assertTrue(PlainJava.maxRelDiff(PlainJava.trace(fd, 3), dense) < 1e-7, "only layers 2 and 3 count");
        assertEquals(4 * 4 + 4 + 4 * 3 + 3, new TrainableParameters(net).count);
    }

    @Test
    void computationGraphGenericPathEqualsMultiLayerDensePath() {
        MultiLayerNetwork net = mlp(false);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3);
        INDArray dense = EmpiricalNtk.gram(net, x);
        INDArray graph = EmpiricalNtk.gram(net.toComputationGraph(), x);
        assertTrue(PlainJava.maxRelDiff(dense.toDoubleMatrix(), graph) < 1e-10);
    }

    @Test
    void tilingInASmallBudgetGivesTheSameKernel() {
        MultiLayerNetwork net = mlp(false);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 3);
        INDArray whole = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
        long p = net.numParams();
        INDArray tiled = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC)
                .memoryBudgetBytes(2 * 3 * p * 8 * 2).build().compute(x);
        assertTrue(PlainJava.maxRelDiff(whole.toDoubleMatrix(), tiled) < 1e-12, "tiles of 2 examples");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmpiricalNtk.builder(net)
                .method(EmpiricalNtk.Method.GENERIC).memoryBudgetBytes(100).build().compute(x));
        assertTrue(e.getMessage().contains("needs at least") && e.getMessage().contains("budget is 100"),
                e.getMessage());
    }

    @Test
    void badInputGivesClearErrors() {
        MultiLayerNetwork net = mlp(false);
        IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.gram(net, Nd4j.rand(DataType.DOUBLE, 4, 5)));
        assertTrue(wrongWidth.getMessage().contains("5 features") && wrongWidth.getMessage().contains("expects 3"),
                wrongWidth.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.gram(net, Nd4j.zeros(DataType.DOUBLE, 0, 3)));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        INDArray nan = Nd4j.rand(DataType.DOUBLE, 3, 3);
        nan.putScalar(1, 1, Double.NaN);
        IllegalArgumentException nonFinite = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.gram(net, nan));
        assertTrue(nonFinite.getMessage().contains("NaN"), nonFinite.getMessage());
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(net).output(3).build().compute(Nd4j.rand(DataType.DOUBLE, 2, 3)));
        assertTrue(output.getMessage().contains("output"), output.getMessage());

        MultiLayerNetwork cnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(4, 4, 1)).build());
        cnn.init();
        IllegalArgumentException notDense = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(cnn).method(EmpiricalNtk.Method.DENSE).build());
        assertTrue(notDense.getMessage().contains("DENSE"), notDense.getMessage());
    }

    @Test
    void spectrumMatchesPlainJavaJacobiAndTheTrace() {
        INDArray x = sphere(30, 5, 8);
        INDArray hinf = ReluNtk.infiniteWidth(x);
        NtkSpectrum s = NtkSpectrum.of(hinf);
        double[] reference = PlainJava.eigenvalues(hinf.toDoubleMatrix());
        assertArrayEquals(reference, s.eigenvalues(), 1e-10);
        assertEquals(Nd4j.diag(hinf).sumNumber().doubleValue(), s.trace(), 1e-10);
        assertEquals(s.lambdaMax() / s.lambdaMin(), s.conditionNumber(), 1e-9);
        assertTrue(s.lambdaMin() > 0, "Hinf is positive definite for non-parallel inputs");
        assertEquals(0.5, hinf.getDouble(0, 0), 1e-7, "Hinf_ii = 1 * (pi - arccos 1) / (2 pi) = 1/2");
        // lambda_0 against Hinf written out in plain Java (x_i.x_j (pi - arccos x_i.x_j) / (2 pi)) and Jacobi
        double[][] xs = x.toDoubleMatrix();
        double[][] plain = new double[30][30];
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 30; j++) {
                double c = 0;
                for (int q = 0; q < 5; q++) {
                    c += xs[i][q] * xs[j][q];
                }
                c = Math.max(-1, Math.min(1, c));
                plain[i][j] = c * (Math.PI - Math.acos(c)) / (2 * Math.PI);
            }
        }
        // 1e-7: arccos near 1 turns a last-bit difference of x_i.x_i into ~1e-8
        assertTrue(PlainJava.maxRelDiff(plain, hinf) < 1e-7, "Hinf entries");
        assertEquals(PlainJava.eigenvalues(plain)[0], ReluNtk.lambda0(x), 1e-10 * s.lambdaMax());
    }
    @Test
    void layerNormalizedDenseLayerFallsBackToTheGenericPathAndIsExact() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(6).activation(Activation.TANH).hasLayerNorm(true).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        // a non-trivial gain, so that ignoring it would show
        net.getLayer(0).getParam("g").assign(Nd4j.linspace(DataType.DOUBLE, 0.5, 2.0, 6));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5).muli(4);
        EmpiricalNtk auto = EmpiricalNtk.builder(net).build();
        assertTrue(!auto.usesDensePath(), "the gain 'g' is not modelled by the dense path");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.DENSE).build());
        assertTrue(e.getMessage().contains("'g'") && e.getMessage().contains("layer normalization"), e.getMessage());
        double[][] j = PlainJava.jacobian(net, x, TestNetworks.trainableIndices(net), 1e-6);
        assertTrue(PlainJava.maxRelDiff(PlainJava.trace(PlainJava.gram(j, j), 2), auto.compute(x)) < 1e-7);
    }

    @Test
    void frozenFirstLayerStillGetsTheClearFeatureCountError() {
        MultiLayerNetwork net = new TransferLearning.Builder(mlp(false)).setFeatureExtractor(0).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.gram(net, Nd4j.rand(DataType.DOUBLE, 4, 7)));
        assertTrue(e.getMessage().contains("7 features") && e.getMessage().contains("expects 3"), e.getMessage());
    }
    @Test
    void tiledFullKernelAndTiledCrossKernelEqualTheUntiledOnes() {
        MultiLayerNetwork net = mlp(false);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 3);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 5, 3);
        long p = net.numParams();
        long twoExamples = 2 * 3 * p * 8 * 2;
        for (boolean full : new boolean[] {false, true}) {
            EmpiricalNtk.Builder whole = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC);
            EmpiricalNtk.Builder tiled = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC)
                    .memoryBudgetBytes(twoExamples);
            if (full) {
                whole.fullKernel();
                tiled.fullKernel();
            }
            assertTrue(PlainJava.maxRelDiff(whole.build().compute(x).toDoubleMatrix(), tiled.build().compute(x))
                    < 1e-12, "symmetric, full=" + full);
            assertTrue(PlainJava.maxRelDiff(whole.build().compute(x, x2).toDoubleMatrix(),
                    tiled.build().compute(x, x2)) < 1e-12, "cross, full=" + full);
        }
    }
    @Test
    void theMemoryCheckCountsTheResultMatrix() {
        MultiLayerNetwork net = mlp(false);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 40, 3);
        long p = net.numParams();
        long oneTile = 2 * 3 * p * 8 + 9 * 8;
        // enough for two examples' Jacobian rows, not for the (40 * 3)^2 doubles of the full kernel next to them
        long budget = oneTile + 40 * 40 * 8;
        INDArray trace = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).memoryBudgetBytes(budget)
                .build().compute(x);
        assertEquals(40, trace.rows());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmpiricalNtk.builder(net)
                .method(EmpiricalNtk.Method.GENERIC).memoryBudgetBytes(budget).fullKernel().build().compute(x));
        assertTrue(e.getMessage().contains(String.format("%,d for the result", 120L * 120 * 8)), e.getMessage());
    }
    @Test
    void rreluIsRejectedOnBothPathsWithoutTouchingTheRng() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(9)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(6).activation(Activation.TANH).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(new org.nd4j.linalg.activations.impl.ActivationRReLU(0.1, 0.3)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3);
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.DENSE).build());
        assertTrue(dense.getMessage().contains("RReLU"), dense.getMessage());
        Nd4j.getRandom().setSeed(77);
        UnsupportedOperationException auto = assertThrows(UnsupportedOperationException.class,
                () -> EmpiricalNtk.gram(net, x));
        assertTrue(auto.getMessage().contains("RReLU"), auto.getMessage());
        double next = Nd4j.getRandom().nextDouble();
        Nd4j.getRandom().setSeed(77);
        assertEquals(Nd4j.getRandom().nextDouble(), next, 0.0, "no draw from the global RNG");
    }

    @Test
    void halfWorkSymmetricProductsOverSeveralBlocksEqualTheGenericPath() {
        MultiLayerNetwork net = mlp(true);
        // 4 blocks of 64 rows (the listener benchmark's probe size), then 4 blocks with a shorter last one
        for (int n : new int[] {256, 201, 2 * DenseNtk.BLOCK + 37}) {
            assertTrue(DenseNtk.blockRows(n) < n, "n = " + n + " is split into blocks");
            INDArray x = Nd4j.rand(DataType.DOUBLE, n, 3).subi(0.5).muli(3);
            INDArray dense = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.DENSE).build().compute(x);
            INDArray generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
            assertTrue(PlainJava.maxRelDiff(generic.toDoubleMatrix(), dense) < 1e-10, "row blocks mirrored, n = " + n);
            assertEquals(0.0, dense.sub(dense.transpose()).amaxNumber().doubleValue(), 0.0, "exactly symmetric");
        }
    }

    @Test
    void floatNetworkStaysInFloatWithDocumentedAccuracyAndDoublePrecisionOnRequest() {
        MultiLayerNetwork f = mlp(false).convertDataType(DataType.FLOAT);
        MultiLayerNetwork d = f.convertDataType(DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.FLOAT, 300, 3).subi(0.5).muli(3);
        INDArray reference = EmpiricalNtk.builder(d).method(EmpiricalNtk.Method.GENERIC).build()
                .compute(x.castTo(DataType.DOUBLE));
        INDArray single = EmpiricalNtk.builder(f).method(EmpiricalNtk.Method.DENSE).build().compute(x);
        INDArray twice = EmpiricalNtk.builder(f).method(EmpiricalNtk.Method.DENSE).doublePrecision().build()
                .compute(x);
        double floatError = PlainJava.maxRelDiff(reference.toDoubleMatrix(), single);
        assertTrue(floatError < 1e-5 && floatError > 1e-12, "float path: float rounding, no worse: " + floatError);
        assertTrue(PlainJava.maxRelDiff(reference.toDoubleMatrix(), twice) < 1e-10, "doublePrecision()");
        assertEquals(DataType.DOUBLE, single.dataType());
    }
}
