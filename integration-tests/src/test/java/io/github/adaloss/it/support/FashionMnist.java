package io.github.adaloss.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 28x28 grey images with 10 classes for the zoo-model tests: the first {@code n} Fashion-MNIST training images when
 * the Debian package {@code dataset-fashion-mnist} is installed (IDX files under {@link #DEFAULT_DIR}, or the
 * directory named by the system property {@code fashion.mnist.dir}, read by adaloss-datasets' {@code IdxReader}),
 * otherwise a generated stand-in.
 *
 * <p>The stand-in: class {@code c} is a bright axis-aligned bar (horizontal for even c, vertical for odd c) at a
 * class-specific offset, plus uniform noise in [0, 0.3); learnable by any CNN. Which source was used is logged and
 * reported by {@link Images#source()} so a test can state it; nothing is skipped.
 *
 * <p>Features are [n, 1, 28, 28] (NCHW) scaled to [0, 1]; labels one-hot [n, 10]; FLOAT.
 */
public final class FashionMnist {

    /** Where {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIR = io.github.adaloss.datasets.FashionMnist.DEFAULT_DIR;
    /** How to get the real data. */
    public static final String INSTALL_HINT = io.github.adaloss.datasets.FashionMnist.INSTALL_HINT;

    private static final Logger log = LoggerFactory.getLogger(FashionMnist.class);
    private static final int SIDE = 28;

    private FashionMnist() {
    }

    /**
     * Images and where they came from.
     *
     * @param data   the images and labels
     * @param source "fashion-mnist" or "generated"
     */
    public record Images(DataSet data, String source) {
    }

    /** @return the directory to read, from {@code fashion.mnist.dir} or {@link #DEFAULT_DIR} */
    public static Path directory() {
        return io.github.adaloss.datasets.FashionMnist.directory();
    }

    /** @return true when the four IDX files (gzipped or plain) are in {@link #directory()} */
    public static boolean available() {
        return io.github.adaloss.datasets.FashionMnist.isAvailable(directory());
    }

    /**
     * @param n    number of images, 1..60000
     * @param seed seed of the generated stand-in (unused for the real data, which is read in file order)
     * @return the real images when {@link #available()}, the generated stand-in otherwise (logged with the install
     *         hint)
     */
    public static Images firstTrainingImages(int n, long seed) {
        if (n < 1 || n > 60000) {
            throw new IllegalArgumentException("n must be in [1, 60000], got " + n);
        }
        if (available()) {
            return new Images(readIdx(directory(), n), "fashion-mnist");
        }
        log.warn("Fashion-MNIST not found in {}: using generated 28x28 images instead; {}", directory(),
                INSTALL_HINT);
        return new Images(generated(n, seed), "generated");
    }

    /**
     * @param n    number of images
     * @param seed seed
     * @return the generated stand-in described in the class comment
     */
    public static DataSet generated(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n * SIDE * SIDE];
        float[] y = new float[n * 10];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            int offset = 3 + 2 * (c / 2) + rnd.nextInt(2);
            for (int p = 0; p < SIDE * SIDE; p++) {
                x[i * SIDE * SIDE + p] = 0.3f * rnd.nextFloat();
            }
            for (int t = 0; t < SIDE; t++) {
                for (int w = 0; w < 3; w++) {
                    int row = c % 2 == 0 ? offset + w : t;
                    int col = c % 2 == 0 ? t : offset + w;
                    x[i * SIDE * SIDE + row * SIDE + col] = 1.0f;
                }
            }
            y[i * 10 + c] = 1.0f;
        }
        return new DataSet(Nd4j.create(x, new long[] {n, 1, SIDE, SIDE}, DataType.FLOAT),
                Nd4j.create(y, new long[] {n, 10}, DataType.FLOAT));
    }

    private static DataSet readIdx(Path dir, int n) {
        try {
            DataSet d = io.github.adaloss.datasets.FashionMnist.loadImages(dir, true, n);
            if (d.numExamples() < n) {
                throw new IllegalArgumentException("asked for " + n + " images, the file has " + d.numExamples());
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("reading Fashion-MNIST from " + dir, e);
        }
    }
}
