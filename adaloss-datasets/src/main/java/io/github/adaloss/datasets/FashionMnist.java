package io.github.adaloss.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017: 60,000 training and 10,000 test 28x28 grey images, 10 classes) from
 * the four IDX files, gzipped or plain, that Debian's package {@code dataset-fashion-mnist} installs under
 * {@link #DEFAULT_DIR}. Nothing is downloaded: when the files are missing, {@link #load} throws an
 * {@link IOException} that says how to install them.
 */
public final class FashionMnist {

    /** Where {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIR = Paths.get("/usr/share/datasets/fashion-mnist");
    /** System property that overrides {@link #DEFAULT_DIR}. */
    public static final String DIR_PROPERTY = "fashion.mnist.dir";
    /** How to get the files. */
    public static final String INSTALL_HINT = "install Debian's package with `apt-get install -y "
            + "dataset-fashion-mnist` (as root), or point -D" + DIR_PROPERTY + " (or the main job's --data) at a "
            + "directory holding the four *-idx*-ubyte(.gz) files";
    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** Number of classes. */
    public static final int CLASSES = 10;

    private FashionMnist() {
    }

    /** @return the directory named by {@link #DIR_PROPERTY}, or {@link #DEFAULT_DIR} */
    public static Path directory() {
        String prop = System.getProperty(DIR_PROPERTY);
        return prop == null ? DEFAULT_DIR : Paths.get(prop);
    }

    /**
     * @param dir a directory, or null
     * @return true if the four files are readable in {@code dir}
     */
    public static boolean isAvailable(Path dir) {
        return dir != null && find(dir, "train-images-idx3-ubyte") != null
                && find(dir, "train-labels-idx1-ubyte") != null && find(dir, "t10k-images-idx3-ubyte") != null
                && find(dir, "t10k-labels-idx1-ubyte") != null;
    }

    /**
     * The first {@code limit} images of a split, flattened.
     *
     * @param dir   folder with the IDX files
     * @param train true for the training split, false for the test split
     * @param limit at most this many examples (the first ones)
     * @return features [n, 784] scaled to [0, 1] (row-major pixels), one-hot labels [n, 10], FLOAT
     * @throws IOException if the files are missing or unreadable
     */
    public static DataSet load(Path dir, boolean train, int limit) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        if (images == null || labels == null) {
            throw new IOException("Fashion-MNIST files not found in " + dir + ": " + INSTALL_HINT);
        }
        int[][] img = IdxReader.read(images, limit);
        int[][] lab = IdxReader.read(labels, limit);
        if (img.length != lab.length || img[0].length != SIDE * SIDE) {
            throw new IOException("unexpected Fashion-MNIST shapes in " + dir + ": " + img.length + " images of "
                    + img[0].length + " pixels, " + lab.length + " labels");
        }
        float[] x = new float[img.length * SIDE * SIDE];
        float[] y = new float[img.length * CLASSES];
        for (int i = 0; i < img.length; i++) {
            for (int j = 0; j < img[i].length; j++) {
                x[i * SIDE * SIDE + j] = img[i][j] / 255f;
            }
            y[i * CLASSES + lab[i][0]] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[] {img.length, (long) SIDE * SIDE}, DataType.FLOAT);
        INDArray oneHot = Nd4j.create(y, new long[] {img.length, CLASSES}, DataType.FLOAT);
        return new DataSet(features, oneHot);
    }

    /**
     * As {@link #load}, shaped for convolutional networks.
     *
     * @param dir   folder with the IDX files
     * @param train true for the training split
     * @param limit at most this many examples
     * @return features [n, 1, 28, 28] (NCHW) in [0, 1], one-hot labels [n, 10], FLOAT
     * @throws IOException if the files are missing or unreadable
     */
    public static DataSet loadImages(Path dir, boolean train, int limit) throws IOException {
        DataSet flat = load(dir, train, limit);
        long n = flat.getFeatures().size(0);
        return new DataSet(flat.getFeatures().reshape('c', n, 1, SIDE, SIDE), flat.getLabels());
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isReadable(p)) {
                return p;
            }
        }
        return null;
    }
}
