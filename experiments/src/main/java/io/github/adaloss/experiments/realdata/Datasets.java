package io.github.adaloss.experiments.realdata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/** The real data sets of the report, all read offline. */
public final class Datasets {

    /** How to get Fashion-MNIST when it is missing. */
    public static final String FASHION_MNIST_HINT = "install Debian's package with `apt-get install -y "
            + "dataset-fashion-mnist` (as root), or pass --data DIR with the four *-idx*-ubyte(.gz) files";

    private Datasets() {
    }

    /**
     * Fisher's Iris data from {@code iris.dat} inside deeplearning4j-core's jar: 150 examples, 4 standardized
     * features, 3 one-hot classes.
     *
     * @return the data set (FLOAT)
     * @throws IOException if the resource is missing
     */
    public static DataSet iris() throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (InputStream in = Datasets.class.getResourceAsStream("/iris.dat")) {
            if (in == null) {
                throw new IOException("iris.dat is not on the classpath (it ships inside deeplearning4j-core)");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    String[] f = line.split(",");
                    double[] row = new double[5];
                    for (int i = 0; i < 5; i++) {
                        row[i] = Double.parseDouble(f[i].trim());
                    }
                    rows.add(row);
                }
            }
        }
        INDArray x = Nd4j.zeros(DataType.FLOAT, rows.size(), 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows.size(), 3);
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < 4; j++) {
                x.putScalar(i, j, rows.get(i)[j]);
            }
            y.putScalar(i, (int) rows.get(i)[4], 1);
        }
        DataSet ds = new DataSet(x, y);
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(ds);
        norm.transform(ds);
        return ds;
    }

    /** @return the path of an IDX file in {@code dir}, compressed or not, or null */
    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isReadable(p)) {
                return p;
            }
        }
        return null;
    }

    /** @return true if the four Fashion-MNIST files are in {@code dir} */
    public static boolean hasFashionMnist(Path dir) {
        return dir != null && find(dir, "train-images-idx3-ubyte") != null && find(dir, "train-labels-idx1-ubyte") != null
                && find(dir, "t10k-images-idx3-ubyte") != null && find(dir, "t10k-labels-idx1-ubyte") != null;
    }

    /**
     * @param dir   folder with the IDX files
     * @param train true for the training split, false for the test split
     * @param limit at most this many examples (the first ones)
     * @return features [n, 784] scaled to [0, 1], one-hot labels [n, 10], FLOAT
     * @throws IOException if the files are missing or unreadable
     */
    public static DataSet fashionMnist(Path dir, boolean train, int limit) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        if (images == null || labels == null) {
            throw new IOException("Fashion-MNIST files not found in " + dir + ": " + FASHION_MNIST_HINT);
        }
        int[][] img = IdxFiles.read(images, limit);
        int[][] lab = IdxFiles.read(labels, limit);
        INDArray x = Nd4j.zeros(DataType.FLOAT, img.length, img[0].length);
        INDArray y = Nd4j.zeros(DataType.FLOAT, img.length, 10);
        for (int i = 0; i < img.length; i++) {
            for (int j = 0; j < img[i].length; j++) {
                x.putScalar(i, j, img[i][j] / 255.0);
            }
            y.putScalar(i, lab[i][0], 1);
        }
        return new DataSet(x, y);
    }
}
