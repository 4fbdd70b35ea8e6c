package io.github.adaloss.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class IdxReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, int magic, int[] dims, int[] bytes, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(p);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(magic);
            for (int v : dims) {
                d.writeInt(v);
            }
            for (int b : bytes) {
                d.writeByte(b);
            }
        }
        return p;
    }

    @Test
    void readsImagesAndLabelsGzippedOrPlain() throws IOException {
        Path images = write("i.gz", 0x803, new int[] {3, 2, 2}, new int[] {0, 255, 7, 128, 1, 2, 3, 4, 9, 9, 9, 9},
                true);
        int[][] x = IdxReader.read(images, 2);
        assertEquals(2, x.length);
        assertArrayEquals(new int[] {0, 255, 7, 128}, x[0]);
        assertArrayEquals(new int[] {1, 2, 3, 4}, x[1]);
        Path labels = write("l", 0x801, new int[] {3}, new int[] {9, 0, 5}, false);
        int[][] y = IdxReader.read(labels, 10);
        assertEquals(3, y.length);
        assertEquals(5, y[2][0]);
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        Path p = write("bad", 0x0D03, new int[] {1, 1, 1}, new int[] {0}, false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p, 1));
        assertTrue(e.getMessage().contains("magic 0xd03"), e.getMessage());
    }

    @Test
    void fashionMnistWhenInstalled() throws IOException {
        Path d = FashionMnist.directory();
        assumeTrue(FashionMnist.isAvailable(d), "Fashion-MNIST not installed: " + FashionMnist.INSTALL_HINT);
        DataSet train = FashionMnist.loadImages(d, true, 5);
        assertArrayEquals(new long[] {5, 1, 28, 28}, train.getFeatures().shape());
        // The first training labels of Fashion-MNIST: ankle boot, T-shirt, T-shirt, dress, T-shirt.
        int[] expected = {9, 0, 0, 3, 0};
        for (int i = 0; i < 5; i++) {
            assertEquals(1.0, train.getLabels().getDouble(i, expected[i]), 0, "label " + i);
        }
        assertEquals(1.0, train.getFeatures().maxNumber().doubleValue(), 1e-6);
        assertEquals(0.0, train.getFeatures().minNumber().doubleValue(), 0);
        assertEquals(10_000, FashionMnist.load(d, false, 20_000).numExamples());
    }

    @Test
    void missingFilesSayHowToInstall() {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir, true, 1));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }
}
