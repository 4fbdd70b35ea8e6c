package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.records.reader.impl.csv.CSVSequenceRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.split.NumberedFileInputSplit;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Generated data written to files and read back through DataVec, the way DL4J's examples load tabular and sequence
 * data: {@code CSVRecordReader} + {@code RecordReaderDataSetIterator} for a table (regression flag set, as in the
 * examples' regression readers), and {@code CSVSequenceRecordReader} over one numbered file per series +
 * {@code SequenceRecordReaderDataSetIterator} with {@code ALIGN_END} for sequences (as in
 * {@code UCISequenceClassification}).
 */
public final class DataVecFiles {

    private DataVecFiles() {
    }

    /**
     * @param rows numbers, one row per line
     * @param file written, overwritten if present
     * @throws IOException if it cannot be written
     */
    public static void writeCsv(double[][] rows, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (double[] row : rows) {
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < row.length; j++) {
                    sb.append(j == 0 ? "" : ",").append(format(row[j]));
                }
                w.write(sb.append('\n').toString());
            }
        }
    }

    /**
     * Reads a CSV table whose last column is a real-valued target.
     *
     * @param file    the CSV file (no header)
     * @param columns number of columns (inputs + 1)
     * @param rows    number of rows (read as one batch)
     * @return features [rows, columns - 1] and labels [rows, 1]
     * @throws IOException if it cannot be read
     */
    public static DataSet readRegression(Path file, int columns, int rows) throws IOException {
        CSVRecordReader reader = new CSVRecordReader(0, ',');
        try {
            reader.initialize(new FileSplit(file.toFile()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        DataSetIterator it = new RecordReaderDataSetIterator(reader, rows, columns - 1, columns - 1, true);
        return it.next();
    }

    /**
     * Writes one series per file ({@code features/i.csv}, one value per line) and its label
     * ({@code labels/i.csv}, one integer), the layout of {@code UCISequenceClassification}.
     *
     * @param dir    base folder (created)
     * @param series the series
     * @param labels their classes
     * @throws IOException if the files cannot be written
     */
    public static void writeSequences(Path dir, double[][] series, int[] labels) throws IOException {
        Files.createDirectories(dir.resolve("features"));
        Files.createDirectories(dir.resolve("labels"));
        for (int i = 0; i < series.length; i++) {
            StringBuilder sb = new StringBuilder();
            for (double v : series[i]) {
                sb.append(format(v)).append('\n');
            }
            Files.writeString(dir.resolve("features").resolve(i + ".csv"), sb.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("labels").resolve(i + ".csv"), labels[i] + "\n", StandardCharsets.UTF_8);
        }
    }

    /**
     * @param dir     base folder written by {@link #writeSequences}
     * @param count   number of series (files 0..count-1), read as one batch
     * @param classes number of classes
     * @return features [count, 1, T], one-hot labels [count, classes, T] with a label mask on the last step
     * @throws IOException if the files cannot be read
     */
    public static DataSet readSequences(Path dir, int count, int classes) throws IOException {
        CSVSequenceRecordReader features = new CSVSequenceRecordReader();
        CSVSequenceRecordReader labels = new CSVSequenceRecordReader();
        try {
            features.initialize(new NumberedFileInputSplit(dir.resolve("features").toAbsolutePath() + "/%d.csv", 0,
                    count - 1));
            labels.initialize(new NumberedFileInputSplit(dir.resolve("labels").toAbsolutePath() + "/%d.csv", 0,
                    count - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        DataSetIterator it = new SequenceRecordReaderDataSetIterator(features, labels, count, classes, false,
                SequenceRecordReaderDataSetIterator.AlignmentMode.ALIGN_END);
        return it.next();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }
}
