package io.github.adaloss.datasets;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import java.util.List;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fisher's Iris data (150 examples, 4 features in cm, 3 classes), bundled as {@code iris.csv}: the UCI
 * Machine Learning Repository version (which differs from Fisher's paper in two values), as in
 * deeplearning4j-core's {@code iris.dat}, in the same order: 50 setosa, 50 versicolor, 50 virginica, and read
 * through DataVec exactly as DL4J's examples read a CSV file:
 * <pre>{@code
 *   RecordReader reader = new CSVRecordReader(SKIP_LINES, ',');
 *   reader.initialize(split);
 *   DataSetIterator it = new RecordReaderDataSetIterator(reader, batchSize, LABEL_INDEX, CLASSES);
 * }</pre>
 * Features are raw (not standardized); labels are one-hot [n, 3]. The data type is FLOAT.
 */
public final class Iris {

    /** Number of examples. */
    public static final int EXAMPLES = 150;
    /** Number of input features. */
    public static final int FEATURES = 4;
    /** Number of classes. */
    public static final int CLASSES = 3;
    /** Column of the class label in the CSV file. */
    public static final int LABEL_INDEX = 4;
    /** Comment lines at the top of the bundled CSV file. */
    public static final int SKIP_LINES = 2;
    /** Classpath resource of the CSV file. */
    public static final String RESOURCE = "/io/github/adaloss/datasets/iris.csv";

    private static File csvFile;

    private Iris() {
    }

    /**
     * A DataVec iterator over the bundled CSV file, in file order (not shuffled).
     *
     * @param batchSize examples per mini-batch, {@code >= 1}
     * @return a new iterator (resettable)
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public static DataSetIterator iterator(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        CSVRecordReader reader = new CSVRecordReader(SKIP_LINES, ',');
        try {
            reader.initialize(new FileSplit(csvFile()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return new RecordReaderDataSetIterator(reader, batchSize, LABEL_INDEX, CLASSES);
    }

    /** @return all 150 examples in file order, raw features */
    public static DataSet all() {
        DataSet ds = iterator(EXAMPLES).next();
        ds.setFeatures(ds.getFeatures().castTo(DataType.FLOAT));
        ds.setLabels(ds.getLabels().castTo(DataType.FLOAT));
        return ds;
    }

    /**
     * All 150 examples in file order, raw features, in a given data type. The iterator builds FLOAT arrays (ND4J's
     * default), so for DOUBLE the values are taken from DataVec's records ({@code Writable.toDouble()}, the CSV's
     * decimals parsed in double) rather than widened from float.
     *
     * @param type data type of features and labels
     * @return features [150, 4], one-hot labels [150, 3]
     */
    public static DataSet all(DataType type) {
        if (type == DataType.FLOAT) {
            return all();
        }
        CSVRecordReader reader = new CSVRecordReader(SKIP_LINES, ',');
        try {
            reader.initialize(new FileSplit(csvFile()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        INDArray x = Nd4j.zeros(type, EXAMPLES, FEATURES);
        INDArray y = Nd4j.zeros(type, EXAMPLES, CLASSES);
        int i = 0;
        while (reader.hasNext()) {
            List<Writable> row = reader.next();
            if (i >= EXAMPLES || row.size() != FEATURES + 1) {
                throw new IllegalStateException(RESOURCE + ": unexpected row " + i + " " + row);
            }
            for (int j = 0; j < FEATURES; j++) {
                x.putScalar(i, j, row.get(j).toDouble());
            }
            y.putScalar(i, row.get(LABEL_INDEX).toInt(), 1.0);
            i++;
        }
        if (i != EXAMPLES) {
            throw new IllegalStateException(RESOURCE + ": expected " + EXAMPLES + " rows, read " + i);
        }
        return new DataSet(x, y);
    }

    /** @return all 150 examples with every feature standardized to mean 0 and unit variance (over all 150) */
    public static DataSet standardized() {
        DataSet ds = all();
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(ds);
        norm.transform(ds);
        return ds;
    }

    static InputStream open() {
        InputStream in = Iris.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new UncheckedIOException(new IOException(RESOURCE + " is not on the classpath"));
        }
        return in;
    }

    /**
     * The bundled CSV copied once per JVM to a temporary file, so that DataVec reads it through a {@link FileSplit}
     * (a file-backed reader can be reset for the next epoch, an input-stream split cannot), as DL4J's examples do
     * with {@code new ClassPathResource("iris.txt").getFile()}.
     */
    private static synchronized File csvFile() {
        if (csvFile == null) {
            try (InputStream in = open()) {
                Path tmp = Files.createTempFile("adaloss-iris", ".csv");
                tmp.toFile().deleteOnExit();
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                csvFile = tmp.toFile();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + RESOURCE + " to a temporary file", e);
            }
        }
        return csvFile;
    }
}
