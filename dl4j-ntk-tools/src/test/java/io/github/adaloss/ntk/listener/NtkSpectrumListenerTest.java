package io.github.adaloss.ntk.listener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.ReluNtk;
import io.github.adaloss.ntk.network.SphereData;
import io.github.adaloss.ntk.network.TwoLayerNetwork;
import io.github.adaloss.updater.AdaLoss;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The spectrum listener: the lazy-training picture, no effect on training, outputs, and bad input. */
class NtkSpectrumListenerTest {

    @TempDir
    Path dir;

    private static List<NtkSnapshot> trainTwoLayer(int width, DataSet ds, int steps) {
        int n = ds.numExamples();
        MultiLayerNetwork net = TwoLayerNetwork.builder().inputSize(ds.numInputs()).width(width).sampleCount(n)
                .seed(7).updater(new AdaLoss(1.0, 1.0)).build().network();
        NtkSpectrumListener listener = NtkSpectrumListener.builder(ds.getFeatures()).everyIterations(10).build();
        net.setListeners(new LossFeedListener(), listener);
        for (int t = 0; t < steps; t++) {
            net.fit(ds);
        }
        return listener.history();
    }

    @Test
    void wideNetworksStayLazyNarrowOnesDrift() {
        DataSet ds = SphereData.generate(16, 10, SphereData.Labels.GAUSSIAN, 2);
        double lambda0 = ReluNtk.lambda0(ds.getFeatures());
        List<NtkSnapshot> wide = trainTwoLayer(4000, ds, 100);
        List<NtkSnapshot> narrow = trainTwoLayer(20, ds, 100);
        NtkSnapshot wideLast = wide.get(wide.size() - 1);
        NtkSnapshot narrowLast = narrow.get(narrow.size() - 1);
        assertEquals(10, wide.size(), "snapshots at iterations 0, 10, ..., 90");
        assertEquals(90, wideLast.iteration());
        assertTrue(wideLast.loss() < 1e-3 * wide.get(0).loss(), "wide net trains: " + wideLast.loss());
        for (NtkSnapshot s : wide) {
            assertTrue(s.lambdaMin() / lambda0 > 0.8 && s.lambdaMin() / lambda0 < 1.25,
                    "wide: lambda_min(H(t))/lambda_0 = " + s.lambdaMin() / lambda0 + " at " + s.iteration());
        }
        assertTrue(wideLast.kernelDrift() < 0.05, "wide drift " + wideLast.kernelDrift());
        assertTrue(narrowLast.kernelDrift() > 4 * wideLast.kernelDrift(),
                "narrow drift " + narrowLast.kernelDrift() + " vs wide " + wideLast.kernelDrift());
        assertTrue(narrowLast.maxNeuronMovement() > 4 * wideLast.maxNeuronMovement(),
                "per-neuron movement shrinks with width");
        assertTrue(wideLast.patternFlipFraction() < narrowLast.patternFlipFraction() + 1e-12);
        assertEquals(0.0, wide.get(0).kernelDrift(), 0.0);
        assertTrue(wideLast.effectiveStep() > 0 && Double.isFinite(wideLast.stabilityEdge()));
        assertEquals(2 / wideLast.lambdaMax(), wideLast.stabilityEdge(), 1e-12);
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
        MultiLayerNetwork net = TwoLayerNetwork.builder().inputSize(5).width(50).sampleCount(12).seed(1).build()
                .network();
        Path csv = dir.resolve("ntk.csv");
        Path json = dir.resolve("ntk.json");
        NtkSpectrumListener listener = NtkSpectrumListener.builder(ds.getFeatures()).everyIterations(0)
                .csvFile(csv).jsonFile(json).build();
        net.setListeners(new LossFeedListener(), listener);
        net.fit(new ListDataSetIterator<>(ds.asList(), 12), 3);
        assertEquals(3, listener.history().size(), "one snapshot per epoch end");
        assertEquals(List.of(1, 2, 3), listener.history().stream().map(NtkSnapshot::iteration).toList());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertEquals(NtkSnapshot.CSV_HEADER, lines.get(0));
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
        MultiLayerNetwork net = TwoLayerNetwork.builder().inputSize(5).width(10).sampleCount(4).build().network();
        net.setListeners(new LossFeedListener(), NtkSpectrumListener.builder(Nd4j.ones(DataType.DOUBLE, 3, 4)).build());
        DataSet ds = SphereData.generate(4, 5, SphereData.Labels.GAUSSIAN, 1);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> net.fit(ds));
        assertTrue(wrong.getMessage().contains("4 features") && wrong.getMessage().contains("expects 5"),
                wrong.getMessage());
    }
    @Test
    void computationGraphTrainingIsUnchangedAndSnapshotsMatchTheKernel() {
        DataSet ds = new DataSet(Nd4j.rand(DataType.DOUBLE, 12, 4), Nd4j.rand(DataType.DOUBLE, 12, 2));
        INDArray probe = ds.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).dup();
        org.deeplearning4j.nn.graph.ComputationGraph with = dropoutMlp().toComputationGraph();
        org.deeplearning4j.nn.graph.ComputationGraph without = dropoutMlp().toComputationGraph();
        NtkSpectrumListener listener = NtkSpectrumListener.builder(probe).everyIterations(2).build();
        with.setListeners(listener);
        INDArray h0 = EmpiricalNtk.gram(with, probe);
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
        assertEquals(org.nd4j.linalg.eigen.Eigen.symmetricGeneralizedEigenvalues(h0.dup(), false).maxNumber()
                .doubleValue(), first.lambdaMax(), 1e-10 * first.lambdaMax());
        assertTrue(listener.history().get(2).kernelDrift() > 0, "Adam moves the kernel");
        assertTrue(Double.isNaN(first.maxNeuronMovement()), "no first-layer statistics for a graph");
    }
}
