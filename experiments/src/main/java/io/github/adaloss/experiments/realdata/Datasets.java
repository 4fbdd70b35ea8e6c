package io.github.adaloss.experiments.realdata;

import io.github.adaloss.datasets.FashionMnist;
import io.github.adaloss.datasets.Iris;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.dataset.DataSet;

/** The real data sets of the report, all read offline through the project's {@code adaloss-datasets} module. */
public final class Datasets {

    /** How to get Fashion-MNIST when it is missing. */
    public static final String FASHION_MNIST_HINT = "install Debian's package with `apt-get install -y "
            + "dataset-fashion-mnist` (as root), or pass --data DIR with the four *-idx*-ubyte(.gz) files";

    private Datasets() {
    }

    /**
     * Fisher's Iris data through DataVec ({@link Iris}): 150 examples in file order, 4 standardized features,
     * 3 one-hot classes.
     *
     * @return the data set (FLOAT)
     * @throws IOException never in practice (kept for the callers; the CSV ships inside adaloss-datasets)
     */
    public static DataSet iris() throws IOException {
        return Iris.standardized();
    }

    /**
     * @param dir a directory, or null
     * @return true if the four Fashion-MNIST files are in {@code dir}
     */
    public static boolean hasFashionMnist(Path dir) {
        return FashionMnist.isAvailable(dir);
    }

    /**
     * @param dir   folder with the IDX files
     * @param train true for the training split, false for the test split
     * @param limit at most this many examples (the first ones)
     * @return features [n, 784] scaled to [0, 1], one-hot labels [n, 10], FLOAT
     * @throws IOException if the files are missing or unreadable
     */
    public static DataSet fashionMnist(Path dir, boolean train, int limit) throws IOException {
        return FashionMnist.load(dir, train, limit);
    }
}
