package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The structured path's recurrent layers ({@link RecurrentLayers}: LSTM, GravesLSTM with peepholes, SimpleRnn,
 * RnnOutputLayer) against central finite differences of {@code output()} and against the generic per-example path:
 * trace, full and cross kernels, stacked layers, frozen parameters, float networks and truncated BPTT settings.
 */
class RecurrentNtkTest {

    private static final int IN = 3;
    private static final int STEPS = 4;

    private static MultiLayerNetwork net(Layer... layers) {
        return TestNetworks.sequential(11, InputType.recurrent(IN, STEPS), layers);
    }

    private static RnnOutputLayer softmax(int nOut) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(nOut)
                .activation(Activation.SOFTMAX).build();
    }

    private static INDArray sequences(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, n, IN, STEPS).subi(0.5).muli(2);
    }

    /** Structured against finite differences (trace, full, cross) and against the generic path. */
    private static void assertExact(MultiLayerNetwork net, double tol) {
        assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(net).build().method(), "AUTO picks it");
        FiniteDifferenceChecks.assertStructuredExact(net, sequences(3, 1), sequences(2, 2), tol);
    }

    @Test
    void lstmWithSoftmaxPerStepMatchesFiniteDifferencesAndTheGenericPath() {
        assertExact(net(new LSTM.Builder().nOut(4).activation(Activation.TANH).build(), softmax(3)), 1e-6);
    }

    @Test
    void gravesLstmPeepholesAndHardSigmoidGatesAreExact() {
        // peephole weights non-zero (DL4J initializes them like the other recurrent weights, but make sure)
        MultiLayerNetwork net = net(new GravesLSTM.Builder().nOut(4).activation(Activation.SOFTSIGN)
                        .gateActivationFunction(Activation.HARDSIGMOID).build(), softmax(2));
        net.getLayer(0).getParam("RW").get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(16, 19)).assign(
                Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5));
        assertExact(net, 1e-6);
    }

    @Test
    void stackedRecurrentLayersPassTheSignalThroughTime() {
        // the first layer's weights get their signal through the second layer's back-propagation through time
        assertExact(net(new SimpleRnn.Builder().nOut(3).activation(Activation.TANH).build(),
                new LSTM.Builder().nOut(4).activation(Activation.TANH).build(),
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build()), 1e-6);
    }

    @Test
    void oneOutputAndFrozenRecurrentWeightsCountOnlyTrainableParameters() {
        MultiLayerNetwork net = TestNetworks.sequential(11, InputType.recurrent(IN, STEPS),
                new LSTM.Builder().nOut(3).activation(Activation.TANH).build(),
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).updater(new NoOp())
                        .activation(Activation.SOFTMAX).build());
        INDArray x = sequences(3, 5);
        int[] trainable = TestNetworks.trainableIndices(net);
        assertEquals(IN * 12 + 3 * 12 + 12, trainable.length, "output layer (NoOp) not trainable");
        double[][] j = PlainJava.jacobian(net, x, trainable, 1e-6);
        int k = 2 * STEPS;
        // output 5 = unit 1 at time step 1 (entry unit T + t)
        double[][] full = PlainJava.gram(j, j);
        double[][] one = new double[3][3];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                one[a][b] = full[a * k + 5][b * k + 5];
            }
        }
        INDArray structured = EmpiricalNtk.builder(net).output(5).method(EmpiricalNtk.Method.STRUCTURED).build()
                .compute(x);
        assertTrue(PlainJava.maxRelDiff(one, structured) < 1e-6, "one output vs FD");
        assertTrue(PlainJava.maxRelDiff(PlainJava.trace(full, k), EmpiricalNtk.gram(net, x)) < 1e-6, "trace vs FD");
    }

    @Test
    void truncatedBpttSettingDoesNotTruncateTheKernel() {
        // TBPTT length 2 < T = 4: training truncates, output() does not; both paths give output()'s kernel
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().nOut(3).activation(Activation.TANH).build())
                .layer(softmax(2));
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.recurrent(IN, STEPS))
                .backpropType(BackpropType.TruncatedBPTT).tBPTTLength(2).build());
        net.init();
        INDArray x = sequences(3, 7);
        double[][] fd = PlainJava.trace(PlainJava.gram(PlainJava.jacobian(net, x, TestNetworks.trainableIndices(net),
                1e-6), PlainJava.jacobian(net, x, TestNetworks.trainableIndices(net), 1e-6)), 2 * STEPS);
        for (EmpiricalNtk.Method m : new EmpiricalNtk.Method[] {EmpiricalNtk.Method.STRUCTURED,
            EmpiricalNtk.Method.GENERIC}) {
            assertTrue(PlainJava.maxRelDiff(fd, EmpiricalNtk.builder(net).method(m).build().compute(x)) < 1e-6,
                    m + " vs FD");
        }
    }

    @Test
    void floatNetworkIsComputedInFloatToItsPrecision() {
        MultiLayerNetwork dbl = net(new LSTM.Builder().nOut(5).activation(Activation.TANH).build(), softmax(3));
        MultiLayerNetwork flt = dbl.convertDataType(DataType.FLOAT);
        INDArray x = sequences(6, 9);
        INDArray exact = EmpiricalNtk.builder(dbl).method(EmpiricalNtk.Method.STRUCTURED).build().compute(x);
        INDArray single = EmpiricalNtk.builder(flt).method(EmpiricalNtk.Method.STRUCTURED).build()
                .compute(x.castTo(DataType.FLOAT));
        double rel = PlainJava.maxRelDiff(exact.toDoubleMatrix(), single);
        assertTrue(rel < 1e-5 && rel > 0, "float kernel within float precision of the double one: " + rel);
    }

    @Test
    void tilesAndOutputChunksInASmallBudgetGiveTheSameKernel() {
        MultiLayerNetwork net = net(new LSTM.Builder().nOut(4).activation(Activation.TANH).build(), softmax(3));
        INDArray x = sequences(5, 4);
        INDArray whole = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED).build().compute(x);
        ConvNtk conv = ConvNtk.of(net, false, 1);
        long perExample = conv.bytesPerExample(x, 3 * STEPS);
        int[] all = new int[3 * STEPS];
        for (int c = 0; c < all.length; c++) {
            all[c] = c;
        }
        // the full kernel in tiles of one example
        INDArray wholeFull = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED).fullKernel().build()
                .compute(x);
        long fullBytes = 5L * 12 * 5 * 12 * 8;
        ConvNtk tiled = ConvNtk.of(net, false, fullBytes + 2 * perExample + perExample / 2);
        INDArray t = tiled.kernel(x, x, all, true);
        assertEquals(1, tiled.lastTile(), "one example per tile");
        assertTrue(PlainJava.maxRelDiff(wholeFull.toDoubleMatrix(), t) < 1e-12, "tiled = whole (full kernel)");
        // the trace kernel in chunks of outputs: room for the 5 examples with 4 of the 12 outputs
        long budget = 2L * 25 * 8 + 5 * conv.bytesPerExample(x, 4);
        assertTrue(5 * perExample > budget, "12 outputs do not fit");
        ConvNtk chunks = ConvNtk.of(net, false, budget);
        INDArray c = chunks.kernel(x, x, all, false);
        assertEquals(5, chunks.lastTile(), "no tiles of examples");
        assertEquals(4, chunks.lastOutputChunk(), "chunks of 4 outputs");
        assertTrue(PlainJava.maxRelDiff(whole.toDoubleMatrix(), c) < 1e-12, "chunks = whole");
    }

    @Test
    void bothFormsGiveTheGenericKernelAndAutoPicksTheCheaperOne() {
        // narrow layers, 12 steps: the per-example gradients (d G = 7 x 16 per output) are cheaper than the
        // (n T)^2 position pairs; wide layers, 2 steps: the signal-patch form is
        MultiLayerNetwork narrow = TestNetworks.sequential(11, InputType.recurrent(IN, 12),
                new LSTM.Builder().nOut(4).activation(Activation.TANH).build(), softmax(2));
        MultiLayerNetwork wide = TestNetworks.sequential(11, InputType.recurrent(IN, 2),
                new GravesLSTM.Builder().nOut(40).activation(Activation.TANH).build(), softmax(30));
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {narrow, wide}) {
            long steps = net == narrow ? 12 : 2;
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 4, IN, steps).subi(0.5);
            int k = (net == narrow ? 2 : 30) * (int) steps;
            int[] all = new int[k];
            for (int c = 0; c < k; c++) {
                all[c] = c;
            }
            double[][] generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x)
                    .toDoubleMatrix();
            for (ConvNtk.Form f : new ConvNtk.Form[] {ConvNtk.Form.GRADIENTS, ConvNtk.Form.PATCHES}) {
                INDArray kf = ConvNtk.of(net, false, 1L << 30).withForm(f).kernel(x, x, all, false);
                assertTrue(PlainJava.maxRelDiff(generic, kf) < 1e-10, f + " vs generic");
            }
            ConvNtk auto = ConvNtk.of(net, false, 1L << 30);
            auto.kernel(x, x, all, false);
            ConvNtk.Form expected = net == narrow ? ConvNtk.Form.GRADIENTS : ConvNtk.Form.PATCHES;
            assertEquals(expected, auto.lastForms()[0], "LSTM layer form");
            assertEquals(expected, auto.lastForms()[1], "output layer form");
        }
    }

    @Test
    void mixedRecurrentAndDenseNetworksAreRefusedWithTheReason() {
        MultiLayerNetwork mixed = net(new LSTM.Builder().nOut(3).activation(Activation.TANH).build(),
                new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), softmax(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(mixed).method(EmpiricalNtk.Method.STRUCTURED).build());
        assertTrue(e.getMessage().contains("layer 1"), e.getMessage());
        assertEquals(EmpiricalNtk.Method.GENERIC, EmpiricalNtk.builder(mixed).build().method(), "AUTO falls back");
    }
}
