package io.github.adaloss.it.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The offline data sources the pipeline tests rely on: {@link IrisData} and {@link FashionMnist}. */
class TestDataSourcesTest {

    @Test
    void irisHas150RowsFiftyPerClassAndTheKnownFirstRow() {
        DataSet iris = IrisData.load(1);
        assertArrayEquals(new long[] {150, 4}, iris.getFeatures().shape());
        assertArrayEquals(new double[] {50, 50, 50}, iris.getLabels().sum(0).toDoubleVector(), 0.0);
        // The file's first row 5.1,3.5,1.4,0.2 (class 0) is present exactly once after the shuffle.
        int hits = 0;
        for (int i = 0; i < 150; i++) {
            float[] row = iris.getFeatures().getRow(i).toFloatVector();
            if (row[0] == 5.1f && row[1] == 3.5f && row[2] == 1.4f && row[3] == 0.2f) {
                hits++;
                assertEquals(1.0, iris.getLabels().getDouble(i, 0), 0.0);
            }
        }
        assertEquals(1, hits);
    }

    @Test
    void idxReaderRoundTripsAHandWrittenFile(@TempDir Path dir) throws Exception {
        int n = 3;
        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        byte[] labels = {4, 0, 9};
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(dir.resolve("train-images-idx3-ubyte.gz"))))) {
            out.writeInt(2051);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte.gz"))))) {
            out.writeInt(2049);
            out.writeInt(n);
            out.write(labels);
        }
        // the test split must be present too (the data are used only when all four files are)
        Files.copy(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("t10k-images-idx3-ubyte.gz"));
        Files.copy(dir.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        withFashionMnistDir(dir, () -> {
            FashionMnist.Images images = FashionMnist.firstTrainingImages(n, 0);
            assertEquals("fashion-mnist", images.source());
            DataSet d = images.data();
            assertArrayEquals(new long[] {3, 1, 28, 28}, d.getFeatures().shape());
            assertEquals((pixels[1 * 784 + 28 * 5 + 6] & 0xFF) / 255.0, d.getFeatures().getDouble(1, 0, 5, 6), 1e-7);
            for (int i = 0; i < n; i++) {
                assertEquals(1.0, d.getLabels().getDouble(i, labels[i]), 0.0);
                assertEquals(1.0, d.getLabels().getRow(i).sumNumber().doubleValue(), 0.0);
            }
            assertThrows(IllegalArgumentException.class, () -> FashionMnist.firstTrainingImages(4, 0));
        });
    }

    @Test
    void generatedStandInIsUsedWhenTheFilesAreAbsentAndIsDeterministic(@TempDir Path empty) throws Exception {
        withFashionMnistDir(empty, () -> {
            FashionMnist.Images a = FashionMnist.firstTrainingImages(20, 5);
            assertEquals("generated", a.source());
            assertEquals(a.data().getFeatures(), FashionMnist.generated(20, 5).getFeatures());
            assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2},
                    a.data().getLabels().sum(0).toDoubleVector(), 0.0);
        });
    }

    @Test
    void badCountsAreRejectedWithTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.firstTrainingImages(0, 1));
        assertEquals("n must be in [1, 60000], got 0", e.getMessage());
    }

    /** Runs {@code body} with the system property {@code fashion.mnist.dir} set to {@code dir}, then restores it. */
    private static void withFashionMnistDir(Path dir, ThrowingRunnable body) throws Exception {
        String old = System.getProperty("fashion.mnist.dir");
        System.setProperty("fashion.mnist.dir", dir.toString());
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty("fashion.mnist.dir");
            } else {
                System.setProperty("fashion.mnist.dir", old);
            }
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
