package io.github.adaloss.it.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.FashionMnist;
import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.listener.NtkSnapshot;
import io.github.adaloss.ntk.listener.NtkSpectrumListener;
import io.github.adaloss.updater.AdaLoss;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.LeNet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.eigen.Eigen;

/**
 * Pipeline 5, NTK part: {@link NtkSpectrumListener} on the generic (per-example) path, attached to an untrained
 * zoo LeNet trained with AdaLoss on 28x28 images (Fashion-MNIST or the generated stand-in), probe = 6 images.
 * Every snapshot's spectrum must be finite and strictly positive with {@code trace = sum of eigenvalues}, and the
 * first snapshot (taken at the initial parameters) must match the eigenvalues of a kernel computed independently
 * by {@link EmpiricalNtk} on a copy of the initial network and decomposed with ND4J's {@link Eigen}.
 */
class LeNetNtkSpectrumTest {

    private static final int PROBE = 6;

    @Test
    void genericPathSpectraOnLeNetAreFiniteAndPositive() {
        DataSet data = ZooModelsTest.flat(FashionMnist.firstTrainingImages(128, 29).data());
        INDArray probe = data.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, PROBE),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        MultiLayerNetwork net = (MultiLayerNetwork) LeNet.builder().numClasses(10).seed(2)
                .updater(new AdaLoss(1.0, 1.0)).build().init();
        MultiLayerNetwork initial = net.clone();
        NtkSpectrumListener ntk = NtkSpectrumListener.builder(probe).everyIterations(2).atEpochEnd(false)
                .method(EmpiricalNtk.Method.GENERIC).build();
        net.addListeners(new LossFeedListener(), ntk);

        List<DataSet> batches = data.batchBy(32);
        batches.forEach(net::fit);

        List<NtkSnapshot> history = ntk.history();
        assertEquals(2, history.size(), "4 iterations, a snapshot every 2: " + history);
        for (NtkSnapshot s : history) {
            double[] eig = s.eigenvalues();
            assertEquals(PROBE, eig.length);
            double sum = 0;
            for (double e : eig) {
                assertTrue(Double.isFinite(e) && e > 0, "iteration " + s.iteration() + ": " + Arrays.toString(eig));
                sum += e;
            }
            assertEquals(sum, s.trace(), 1e-8 * sum, "trace = sum of eigenvalues");
            assertTrue(s.lambdaMin() > 0 && s.lambdaMax() >= s.lambdaMin());
        }

        INDArray gram0 = EmpiricalNtk.builder(initial).method(EmpiricalNtk.Method.GENERIC).build().compute(probe);
        double[] expected = Eigen.symmetricGeneralizedEigenvalues(gram0.dup(), false).toDoubleVector();
        double[] actual = history.get(0).eigenvalues().clone();
        Arrays.sort(expected);
        Arrays.sort(actual);
        for (int i = 0; i < PROBE; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * expected[PROBE - 1], "eigenvalue " + i);
        }
    }
}
