package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.adaloss.datasets.FashionMnist;
import io.github.adaloss.updater.AdaLoss;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** {@link ZooWorkload}: the resizing in closed form, the zoo's own updaters, the same start for every updater. */
class ZooWorkloadTest {

    private static final Path NONE = Path.of("/nonexistent");

    @Test
    void nearestNeighbourResizeInClosedForm() {
        // pixel (r, c) of image e holds 1000 e + 28 r + c; output (i, j) must hold the pixel (floor(28 i / 16), floor(28 j / 16))
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 1, 28, 28);
        for (int e = 0; e < 2; e++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    x.putScalar(new long[] {e, 0, r, c}, 1000 * e + 28 * r + c);
                }
            }
        }
        INDArray y = ZooWorkload.resized(x);
        assertArrayEquals(new long[] {2, 3, 16, 16}, y.shape());
        for (int e = 0; e < 2; e++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int i = 0; i < 16; i++) {
                    for (int j = 0; j < 16; j++) {
                        assertEquals(1000 * e + 28 * (28 * i / 16) + 28 * j / 16, y.getDouble(e, ch, i, j), 0.0);
                    }
                }
            }
        }
        assertEquals(0.0, y.getDouble(0, 1, 0, 0));
        assertEquals(28 * 26 + 26, y.getDouble(0, 2, 15, 15), 0.0); // 28 * 15 / 16 = 26
    }

    @Test
    void publishedIsTheZoosOwnDefault() {
        // the builders' defaults in deeplearning4j-zoo 1.0.0-M2.1 (read from the class files with javap)
        assertEquals(new Nesterovs(1e-3, 0.9), new ZooWorkload("darknet19", NONE, new Budget(8, 8, 1)).publishedUpdater());
        assertEquals(new AdaDelta(), new ZooWorkload("simplecnn", NONE, new Budget(8, 8, 1)).publishedUpdater());
        assertEquals(new AdaDelta(), new ZooWorkload("xception", NONE, new Budget(8, 8, 1)).publishedUpdater());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ZooWorkload("alexnet", NONE, new Budget(8, 8, 1)));
        assertEquals("unknown zoo configuration 'alexnet' (one of " + ZooWorkload.MODELS.keySet() + ")", e.getMessage());
    }

    @Test
    void everyUpdaterStartsFromTheSameParameters() {
        for (String id : new String[] {"simplecnn", "darknet19"}) {
            ZooWorkload w = new ZooWorkload(id, NONE, new Budget(8, 8, 1));
            INDArray a = w.build(new AdaLoss(), 7).params();
            INDArray b = w.build(w.publishedUpdater(), 7).params();
            INDArray c = w.build(new Sgd(0.1), 8).params();
            assertEquals(a, b, id + ": same seed, different updater");
            assertEquals(a.length(), c.length());
            assertEquals(false, a.equals(c), id + ": another seed draws other parameters");
        }
    }

    @Test
    void oneEpochOfThreeHundredBatchesOfResizedImages() throws IOException {
        Path dir = FashionMnist.directory();
        assumeTrue(FashionMnist.isAvailable(dir), "Fashion-MNIST not installed");
        Workload w = Workloads.create(Workloads.Scale.REALISTIC, dir, java.util.List.of("simplecnn")).get(0);
        Workload.Data d = w.data(3);
        assertEquals(300, d.batches().size());
        assertArrayEquals(new long[] {8, 3, 16, 16}, d.batches().get(0).getFeatures().shape());
        assertArrayEquals(new long[] {2000, 3, 16, 16}, d.test().getFeatures().shape());
        assertArrayEquals(new long[] {2000, 10}, d.test().getLabels().shape());
        Model m = w.build(new AdaLoss(), 3);
        assertEquals(2000, Networks.output(m, d.test()).size(0));
    }
}
