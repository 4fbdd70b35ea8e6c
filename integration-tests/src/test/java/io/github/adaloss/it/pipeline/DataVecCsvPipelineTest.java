package io.github.adaloss.it.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.datasets.Iris;
import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.LossRecorder;
import io.github.adaloss.it.support.Nets;
import io.github.adaloss.updater.AdaLoss;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.datavec.api.records.reader.RecordReader;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/**
 * The canonical DL4J tabular pipeline, step by step as a user writes it: CSV files on disk -> DataVec
 * {@link CSVRecordReader} -> {@link RecordReaderDataSetIterator} -> {@link NormalizerStandardize} (fitted on the
 * training iterator, attached as pre-processor) -> a MultiLayerNetwork with {@link AdaLoss} and
 * {@link LossFeedListener} -> {@link Evaluation} on a held-out CSV file.
 *
 * <p>The CSV files are Iris (adaloss-datasets' bundled copy), shuffled with a fixed seed in plain Java and split
 * 100 / 50 into two files, so that the mini-batches mix the classes.
 */
class DataVecCsvPipelineTest {

    private static final long SEED = 2024;
    private static final int BATCH = 10;
    private static final int EPOCHS = 40;
    private static final double ETA = 1.0;
    private static final double B0 = 1.0;

    @Test
    void csvRecordReaderToAdaLossToEvaluation(@TempDir Path dir) throws Exception {
        List<String> rows = irisRows();
        assertEquals(Iris.EXAMPLES, rows.size());
        Collections.shuffle(rows, new Random(SEED));
        Path trainCsv = dir.resolve("train.csv");
        Path testCsv = dir.resolve("test.csv");
        Files.write(trainCsv, withHeader(rows.subList(0, 100)));
        Files.write(testCsv, withHeader(rows.subList(100, 150)));

        DataSetIterator train = csvIterator(trainCsv);
        DataSetIterator test = csvIterator(testCsv);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(train);              // statistics of the training file only
        train.setPreProcessor(normalizer);
        test.setPreProcessor(normalizer);

        MultiLayerNetwork net = Nets.irisClassifier(new AdaLoss(ETA, B0), SEED, 16);
        LossRecorder losses = new LossRecorder();
        net.addListeners(new LossFeedListener(), losses);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            net.fit(train);                 // fit(DataSetIterator) resets the iterator at the start of each epoch
        }

        Evaluation eval = net.evaluate(test);
        assertEquals(50, totalCount(eval), "every held-out row evaluated once");
        assertTrue(eval.accuracy() >= 0.90, "held-out accuracy " + eval.accuracy() + "\n" + eval.stats());
        assertEquals(EPOCHS * 100 / BATCH, losses.losses().size(), "one loss per mini-batch update");
        // b grew exactly as the plain-Java accumulator over the recorded mini-batch losses says:
        // b_T = sqrt(b_0^2 + sum_t |l_t|) (alpha 1, offset 0), summed here in double.
        double expected = losses.expectedAccumulator(B0, 1.0, 0.0);
        double b = AdaptiveSteps.accumulator(net).orElseThrow();
        assertTrue(expected > 2 * B0, "the accumulator must have grown well beyond b0, expected " + expected);
        assertEquals(expected, b, 1e-5 * expected);
        assertEquals(ETA / expected, AdaptiveSteps.currentStep(net).orElseThrow(), 1e-5 * ETA / expected);
    }

    private static int totalCount(Evaluation eval) {
        int n = 0;
        for (int actual = 0; actual < Iris.CLASSES; actual++) {
            n += eval.getConfusionMatrix().getActualTotal(actual);
        }
        return n;
    }

    private static DataSetIterator csvIterator(Path csv) throws Exception {
        RecordReader reader = new CSVRecordReader(1, ',');          // skip the header line
        reader.initialize(new FileSplit(csv.toFile()));
        return new RecordReaderDataSetIterator(reader, BATCH, Iris.LABEL_INDEX, Iris.CLASSES);
    }

    private static List<String> withHeader(List<String> rows) {
        List<String> out = new ArrayList<>();
        out.add("sepal_length,sepal_width,petal_length,petal_width,class");
        out.addAll(rows);
        return out;
    }

    /** The data lines of the bundled CSV (comment lines dropped), read as text. */
    private static List<String> irisRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (InputStream in = Iris.class.getResourceAsStream(Iris.RESOURCE)) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line);
                }
            }
        }
        return rows;
    }
}
