package io.github.adaloss.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Iris data set (150 examples, 4 features, 3 classes), read offline from {@code iris.dat}, the file that ships
 * inside {@code deeplearning4j-core.jar} (DL4J's own {@code IrisDataSetIterator} would try to download it).
 *
 * <p>Each line is {@code sepalLength,sepalWidth,petalLength,petalWidth,classIndex}; the labels are one-hot [150, 3].
 */
public final class IrisData {

    /** Classpath location of the file inside deeplearning4j-core. */
    public static final String RESOURCE = "/iris.dat";

    private IrisData() {
    }

    /**
     * @param seed seed of the shuffle
     * @return {@link #load} with the features standardized ({@code NormalizerStandardize} fitted on all 150)
     */
    public static DataSet standardized(long seed) {
        DataSet all = load(seed);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(all);
        normalizer.transform(all);
        return all;
    }

    /**
     * @param seed seed of the shuffle
     * @return all 150 examples, shuffled with {@code seed}, features [150, 4] and one-hot labels [150, 3]
     */
    public static DataSet load(long seed) {
        List<double[]> rows = new ArrayList<>();
        try (InputStream in = IrisData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " not on the classpath: it ships inside "
                        + "org.deeplearning4j:deeplearning4j-core (add it as a test dependency)");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                double[] row = new double[5];
                for (int i = 0; i < 5; i++) {
                    row[i] = Double.parseDouble(f[i].trim());
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.size() != 150) {
            throw new IllegalStateException("expected 150 Iris rows in " + RESOURCE + ", read " + rows.size());
        }
        double[][] x = new double[rows.size()][4];
        double[][] y = new double[rows.size()][3];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, x[i], 0, 4);
            y[i][(int) rows.get(i)[4]] = 1.0;
        }
        DataSet all = new DataSet(Nd4j.create(x).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                Nd4j.create(y).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        all.shuffle(seed);
        return all;
    }
}
