package io.github.adaloss.ntk.listener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.PlainJava;
import io.github.adaloss.ntk.network.SphereData;
import io.github.adaloss.ntk.network.TwoLayerNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The spectrum listener: the lazy-training picture, no effect on training, outputs, and bad input. */
class NtkSpectrumListenerTest {

    @TempDir
    Path dir;

    /** One run of full-batch gradient descent on the two-layer network, with the weights at every snapshot. */
    private record Run(List<NtkSnapshot> history, List<double[][]> weights, double step, double[] losses) {
    }

    private static double[][] x(DataSet ds) {
        return ds.getFeatures().toDoubleMatrix();
    }

    /**
     * The closed form of the two-layer network's Gram in plain loops (Du et al.):
     * {@code H_ij = (1/m) x_i.x_j sum_r 1{w_r.x_i >= 0} 1{w_r.x_j >= 0}} (|a_r| = 1), w [d][m].
     */
    private static double[][] closedFormGram(double[][] x, double[][] w) {
        int n = x.length;
        int d = w.length;
        int m = w[0].length;
        boolean[][] on = new boolean[n][m];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < m; r++) {
                double z = 0;
                for (int q = 0; q < d; q++) {
                    z += x[i][q] * w[q][r];
                }
                on[i][r] = z >= 0;
            }
        }
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int q = 0; q < d; q++) {
                    dot += x[i][q] * x[j][q];
                }
                int both = 0;
                for (int r = 0; r < m; r++) {
                    both += on[i][r] && on[j][r] ? 1 : 0;
                }
                h[i][j] = dot * both / m;
            }
        }
        return h;
    }

    private static double frobenius(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double v = a[i][j] - (b == null ? 0 : b[i][j]);
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** Gradient descent with step 1 / lambda_max(H(0)) (closed form), snapshots every 10 iterations. */
    private static Run trainTwoLayer(int width, DataSet ds, int steps) {
        int n = ds.numExamples();
        TwoLayerNetwork spec = TwoLayerNetwork.builder().inputSize(ds.numInputs()).width(width).sampleCount(n).seed(7)
                .updater(new Sgd(1.0)).build();
        double[][] w0 = TwoLayerNetwork.hiddenWeights(spec.network()).toDoubleMatrix();
        double[] ev0 = PlainJava.eigenvalues(closedFormGram(x(ds), w0));
        double step = 1 / ev0[ev0.length - 1];
        MultiLayerNetwork net = TwoLayerNetwork.builder().inputSize(ds.numInputs()).width(width).sampleCount(n)
                .seed(7).updater(new Sgd(step)).build().network();
        NtkSpectrumListener listener = NtkSpectrumListener.builder(ds.getFeatures()).everyIterations(10)
                .stepSize(m -> step).build();
        net.setListeners(listener);
        List<double[][]> weights = new ArrayList<>();
        double[] losses = new double[steps + 1];
        for (int t = 0; t < steps; t++) {
            if (t % 10 == 0) {
                weights.add(TwoLayerNetwork.hiddenWeights(net).toDoubleMatrix());
            }
            losses[t] = net.score(ds);
            net.fit(ds);
        }
        losses[steps] = net.score(ds);
        return new Run(listener.history(), weights, step, losses);
    }

    @Test
    void snapshotsMatchTheClosedFormGramAndWideNetworksStayLazy() {
        DataSet ds = SphereData.generate(16, 10, SphereData.Labels.GAUSSIAN, 2);
        double[][] x = x(ds);
        // lambda_0 = lambda_min(Hinf), Hinf_ij = x_i.x_j (pi - arccos x_i.x_j) / (2 pi), in plain Java
        double[][] hinf = new double[16][16];
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                double c = 0;
                for (int q = 0; q < 10; q++) {
                    c += x[i][q] * x[j][q];
                }
                c = Math.max(-1, Math.min(1, c));
                hinf[i][j] = c * (Math.PI - Math.acos(c)) / (2 * Math.PI);
            }
        }
        double lambda0 = PlainJava.eigenvalues(hinf)[0];
        Run wide = trainTwoLayer(4000, ds, 100);
        Run narrow = trainTwoLayer(20, ds, 100);
        assertEquals(10, wide.history().size(), "snapshots at iterations 0, 10, ..., 90");
        double[][] h0 = closedFormGram(x, wide.weights().get(0));
        for (int s = 0; s < wide.history().size(); s++) {
            NtkSnapshot snap = wide.history().get(s);
            assertEquals(10 * s, snap.iteration());
            double[][] h = closedFormGram(x, wide.weights().get(s));
            double[] ev = PlainJava.eigenvalues(h);
            assertArrayEquals(ev, snap.eigenvalues(), 1e-9 * ev[15], "eigenvalues at iteration " + snap.iteration());
            assertEquals(frobenius(h, h0) / frobenius(h0, null), snap.kernelDrift(), 1e-9, "drift");
            assertEquals(wide.losses()[10 * s], snap.loss(), 1e-12 * wide.losses()[10 * s], "loss at w(t)");
            assertEquals(wide.step(), snap.stepSize(), 0.0, "the step-size function's value");
            assertEquals(2 / ev[15], snap.stabilityEdge(), 1e-9 * snap.stabilityEdge());
            // max_r ||w_r(t) - w_r(0)|| over the columns of W
            double[][] w = wide.weights().get(s);
            double[][] w0 = wide.weights().get(0);
            double movement = 0;
            for (int r = 0; r < w[0].length; r++) {
                double sq = 0;
                for (int q = 0; q < w.length; q++) {
                    sq += (w[q][r] - w0[q][r]) * (w[q][r] - w0[q][r]);
                }
                movement = Math.max(movement, Math.sqrt(sq));
            }
            assertEquals(movement, snap.maxNeuronMovement(), 1e-12 + 1e-9 * movement, "neuron movement");
            // Du et al., lazy regime: lambda_min(H(t)) stays above lambda_0 / 2
            assertTrue(snap.lambdaMin() > lambda0 / 2, "lambda_min(H(t))/lambda_0 = " + snap.lambdaMin() / lambda0);
        }
        // Du et al. Theorem 4.1: ||y - u(t)||^2 <= (1 - eta lambda_0 / 2)^t ||y - u(0)||^2 (L = 1/2 ||y - u||^2)
        for (int t = 0; t <= 100; t++) {
            assertTrue(wide.losses()[t] <= Math.pow(1 - wide.step() * lambda0 / 2, t) * wide.losses()[0] * (1 + 1e-9),
                    "linear rate at t = " + t + ": " + wide.losses()[t]);
        }
        NtkSnapshot wideLast = wide.history().get(wide.history().size() - 1);
        NtkSnapshot narrowLast = narrow.history().get(narrow.history().size() - 1);
        assertTrue(wideLast.kernelDrift() < 0.05, "wide drift " + wideLast.kernelDrift());
        assertTrue(narrowLast.kernelDrift() > 4 * wideLast.kernelDrift(),
                "narrow drift " + narrowLast.kernelDrift() + " vs wide " + wideLast.kernelDrift());
        assertTrue(narrowLast.maxNeuronMovement() > 4 * wideLast.maxNeuronMovement(),
                "per-neuron movement shrinks with width");
        assertEquals(0.0, wide.history().get(0).kernelDrift(), 0.0);
    }

    private static MultiLayerNetwork dropoutMlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).dropOut(0.7).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void attachingTheListenerDoesNotChangeTraining() {
        DataSet ds = new DataSet(Nd4j.rand(DataType.DOUBLE, 12, 4), Nd4j.rand(DataType.DOUBLE, 12, 2));
        for (EmpiricalNtk.Method m : new EmpiricalNtk.Method[] {EmpiricalNtk.Method.DENSE,
                EmpiricalNtk.Method.GENERIC}) {
            MultiLayerNetwork with = dropoutMlp();
            NtkSpectrumListener listener = NtkSpectrumListener.builder(ds.getFeatures().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5))).everyIterations(1).method(m).build();
            with.setListeners(listener);
            for (int t = 0; t < 6; t++) {
                with.fit(ds);
            }
            MultiLayerNetwork without = dropoutMlp();
            for (int t = 0; t < 6; t++) {
                without.fit(ds);
            }
            assertEquals(6, listener.history().size());
            assertArrayEquals(without.params().toDoubleVector(), with.params().toDoubleVector(), 0.0,
                    m + ": parameters must be bit-identical with and without the listener");
        }
    }

    @Test
    void epochEndSnapshotsWithIteratorsAndFilesAreWritten() throws Exception {
        DataSet ds = SphereData.generate(12, 5, SphereData.Labels.TEACHER, 4);
        MultiLayerNetwork net = TwoLayerNetwork.builder().inputSize(5).width(50).sampleCount(12).seed(1)
                .updater(new Sgd(0.1)).build().network();
        Path csv = dir.resolve("ntk.csv");
        Path json = dir.resolve("ntk.json");
        NtkSpectrumListener listener = NtkSpectrumListener.builder(ds.getFeatures()).everyIterations(0)
                .stepSize(m -> ((MultiLayerNetwork) m).getIterationCount() / 8.0).csvFile(csv).jsonFile(json).build();
        net.setListeners(listener);
        net.fit(new ListDataSetIterator<>(ds.asList(), 12), 3);
        assertEquals(3, listener.history().size(), "one snapshot per epoch end");
        assertEquals(List.of(1, 2, 3), listener.history().stream().map(NtkSnapshot::iteration).toList());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertEquals(NtkSnapshot.CSV_HEADER, lines.get(0));
        String[] row = lines.get(2).split(",");
        assertEquals("2", row[0]);
        assertEquals(2 / 8.0, Double.parseDouble(row[10]), 0.0, "step_size column: the function at iteration 2");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, root.size());
        assertEquals(12, root.get(2).get("eigenvalues").size());
        assertEquals(listener.history().get(2).lambdaMin(), root.get(2).get("lambdaMin").asDouble(), 0.0);
    }

    @Test
    void badProbesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NtkSpectrumListener.builder(Nd4j.zeros(DataType.DOUBLE, 0, 3)));
        INDArray nan = Nd4j.ones(DataType.DOUBLE, 2, 3);
        nan.putScalar(0, 0, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NtkSpectrumListener.builder(nan));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        MultiLayerNetwork net = TwoLayerNetwork.builder().inputSize(5).width(10).sampleCount(4).updater(new Sgd(0.1))
                .build().network();
        // refused at build time when given the network, with the reason
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> NtkSpectrumListener.builder(Nd4j.ones(DataType.DOUBLE, 3, 4)).network(net).build());
        assertTrue(wrong.getMessage().contains("cannot serve") && wrong.getMessage().contains("4 features")
                && wrong.getMessage().contains("expects 5"), wrong.getMessage());
    }

    @Test
    void aNetworkTheListenerCannotServeNeverBreaksTraining() {
        DataSet ds = SphereData.generate(4, 5, SphereData.Labels.GAUSSIAN, 1);
        MultiLayerNetwork with = TwoLayerNetwork.builder().inputSize(5).width(10).sampleCount(4).updater(new Sgd(0.1))
                .build().network();
        MultiLayerNetwork without = with.clone();
        // attached without network(...): refused at the first onGradientCalculation, before the first update
        NtkSpectrumListener listener = NtkSpectrumListener.builder(Nd4j.ones(DataType.DOUBLE, 3, 4)).everyIterations(1)
                .build();
        with.setListeners(listener);
        for (int t = 0; t < 3; t++) {
            with.fit(ds);
            without.fit(ds);
        }
        assertArrayEquals(without.params().toDoubleVector(), with.params().toDoubleVector(), 0.0);
        assertTrue(listener.history().isEmpty());
        assertTrue(listener.refusal() != null && listener.refusal().contains("4 features"), listener.refusal());
        // a second network with the bound listener: ignored, no exception
        NtkSpectrumListener bound = NtkSpectrumListener.builder(ds.getFeatures()).everyIterations(1).network(with)
                .build();
        MultiLayerNetwork other = without.clone();
        other.setListeners(bound);
        other.fit(ds);
        assertTrue(bound.history().isEmpty() && bound.refusal() == null);
    }

    @Test
    void theGenericPathsMemoryBudgetIsSetFromTheBuilder() {
        DataSet ds = new DataSet(Nd4j.rand(DataType.DOUBLE, 12, 4), Nd4j.rand(DataType.DOUBLE, 12, 2));
        INDArray probe = ds.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).dup();
        MultiLayerNetwork net = dropoutMlp();
        // 114 parameters, 2 outputs: the 5 x 5 result (200 bytes) plus two examples' Jacobian rows (2 x 2 x 114 x 8
        // bytes) and their 2 x 2 product (32 bytes) need 3,880 bytes: 3,000 is short, 10,000 enough
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> NtkSpectrumListener.builder(probe).method(EmpiricalNtk.Method.GENERIC).memoryBudgetBytes(3_000)
                        .network(net).build());
        assertTrue(small.getMessage().contains("memory budget is 3,000 bytes"), small.getMessage());
        NtkSpectrumListener ok = NtkSpectrumListener.builder(probe).method(EmpiricalNtk.Method.GENERIC)
                .memoryBudgetBytes(10_000).everyIterations(1).network(net).build();
        net.setListeners(ok);
        net.fit(ds);
        assertEquals(1, ok.history().size());
        assertTrue(ok.refusal() == null);
        assertThrows(IllegalArgumentException.class, () -> NtkSpectrumListener.builder(probe).memoryBudgetBytes(0));
    }
    @Test
    void oneOutputsKernelFromTheBuilderMatchesFiniteDifferences() {
        DataSet ds = new DataSet(Nd4j.rand(DataType.DOUBLE, 12, 4), Nd4j.rand(DataType.DOUBLE, 12, 2));
        INDArray probe = ds.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).dup();
        MultiLayerNetwork net = dropoutMlp();
        // output 1 only: rows 1, 3, 5, ... of the central-difference Jacobian (k = 2 outputs per example)
        double[][] j = PlainJava.jacobian(net, probe, java.util.stream.IntStream.range(0, (int) net.numParams())
                .toArray(), 1e-6);
        double[][] rows = new double[5][];
        for (int i = 0; i < 5; i++) {
            rows[i] = j[2 * i + 1];
        }
        double[] expected = PlainJava.eigenvalues(PlainJava.gram(rows, rows));
        NtkSpectrumListener listener = NtkSpectrumListener.builder(probe).output(1).everyIterations(1).network(net)
                .build();
        net.setListeners(listener);
        net.fit(ds);
        assertArrayEquals(expected, listener.history().get(0).eigenvalues(), 1e-7 * expected[4], "output 1 vs FD");
        assertThrows(IllegalArgumentException.class, () -> NtkSpectrumListener.builder(probe).output(-1));
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> NtkSpectrumListener.builder(probe).output(2).network(dropoutMlp()).build());
        assertTrue(tooLarge.getMessage().contains("output must be in [0, 2)"), tooLarge.getMessage());
    }

    @Test
    void computationGraphTrainingIsUnchangedAndSnapshotsMatchTheKernel() {
        DataSet ds = new DataSet(Nd4j.rand(DataType.DOUBLE, 12, 4), Nd4j.rand(DataType.DOUBLE, 12, 2));
        INDArray probe = ds.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).dup();
        org.deeplearning4j.nn.graph.ComputationGraph with = dropoutMlp().toComputationGraph();
        org.deeplearning4j.nn.graph.ComputationGraph without = dropoutMlp().toComputationGraph();
        NtkSpectrumListener listener = NtkSpectrumListener.builder(probe).everyIterations(2).build();
        with.setListeners(listener);
        // independent reference for the first snapshot: the Gram of a central-difference Jacobian of output()
        double[][] j0 = PlainJava.jacobian(a -> with.outputSingle(a), with.params(), probe,
                java.util.stream.IntStream.range(0, (int) with.numParams()).toArray(), 1e-6);
        double[] expected0 = PlainJava.eigenvalues(PlainJava.trace(PlainJava.gram(j0, j0), 2));
        // dropout draws from ND4J's global RNG: same seed before each run, runs one after the other
        Nd4j.getRandom().setSeed(42);
        for (int t = 0; t < 5; t++) {
            with.fit(ds);
        }
        Nd4j.getRandom().setSeed(42);
        for (int t = 0; t < 5; t++) {
            without.fit(ds);
        }
        assertArrayEquals(without.params().toDoubleVector(), with.params().toDoubleVector(), 0.0,
                "ComputationGraph: parameters must be bit-identical with and without the listener");
        assertEquals(List.of(0, 2, 4), listener.history().stream().map(NtkSnapshot::iteration).toList());
        NtkSnapshot first = listener.history().get(0);
        assertEquals(0.0, first.kernelDrift(), 0.0);
        assertArrayEquals(expected0, first.eigenvalues(), 1e-7 * expected0[4], "snapshot 0 vs finite differences");
        assertTrue(listener.history().get(2).kernelDrift() > 0, "Adam moves the kernel");
        assertTrue(Double.isNaN(first.maxNeuronMovement()), "no first-layer statistics for a graph");
    }

    @Test
    void largeProbesGetLanczosExtremesThatMatchTheDenseSolver() {
        // n = 2100 > LANCZOS_THRESHOLD: the snapshot holds lambda_min and the top 10 from Lanczos; compared with the
        // dense solver on the kernel at the same parameters (the callback invoked directly, no update)
        Nd4j.getRandom().setSeed(3);
        INDArray probe = Nd4j.randn(DataType.DOUBLE, NtkSpectrumListener.LANCZOS_THRESHOLD + 100, 4);
        MultiLayerNetwork net = dropoutMlp();
        NtkSpectrumListener l = NtkSpectrumListener.builder(probe).everyIterations(1).build();
        l.onEpochEnd(net);
        assertEquals(1, l.history().size());
        NtkSnapshot last = l.history().get(l.history().size() - 1);
        org.nd4j.linalg.api.ndarray.INDArray gram = EmpiricalNtk.gram(net, probe);
        io.github.adaloss.ntk.kernel.NtkSpectrum dense = io.github.adaloss.ntk.kernel.NtkSpectrum.of(gram);
        assertEquals(NtkSpectrumListener.LANCZOS_TOP_K + 1, last.eigenvalues().length, "lambda_min and the top 10");
        assertEquals(dense.lambdaMax(), last.lambdaMax(), 1e-7 * dense.lambdaMax());
        assertEquals(dense.lambdaMin(), last.lambdaMin(), 1e-7 * dense.lambdaMax());
        double[] ev = dense.eigenvalues();
        for (int j = 0; j < NtkSpectrumListener.LANCZOS_TOP_K; j++) {
            assertEquals(ev[ev.length - 1 - j], last.eigenvalues()[last.eigenvalues().length - 1 - j],
                    1e-7 * dense.lambdaMax(), "top " + j);
        }
        assertEquals(dense.trace(), last.trace(), 1e-9 * dense.trace());
    }
}
