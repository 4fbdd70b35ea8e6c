package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * LSTM sequence classifier: deeplearning4j-examples {@code quickstart/modeling/recurrent/
 * UCISequenceClassification.java}. As published: {@code LSTM 1 -> 10 (TANH)}, {@code RnnOutputLayer 10 -> 6
 * (SOFTMAX, MCXENT)}, {@code weightInit(XAVIER)}, {@code Nadam()} (learning rate 1e-3),
 * {@code GradientNormalization.ClipElementWiseAbsoluteValue} with threshold 0.5, batch 10, the 600 series shuffled
 * with {@code new Random(12345)} and split 450 / 150, read with {@code CSVSequenceRecordReader} (one file per
 * series) and {@code SequenceRecordReaderDataSetIterator(..., ALIGN_END)}, standardized with
 * {@code NormalizerStandardize} fitted on the training series. Changed: the series are generated from the data set's
 * published equations ({@link SyntheticControl}) instead of downloaded, and the budget (published: 40 epochs).
 */
public final class LstmWorkload implements Workload {

    /** Published batch size. */
    public static final int BATCH = 10;
    /** Published LSTM width. */
    public static final int HIDDEN = 10;
    /** Published element-wise gradient clipping threshold. */
    public static final double CLIP = 0.5;
    /** Published training series. */
    public static final int TRAIN = 450;
    /** Seed of the generated data set (fixed, like the UCI file). */
    public static final long DATA_SEED = 1999;

    private final Budget budget;
    private DataSet train;
    private DataSet test;

    /** @param budget training budget (its example counts are the published 450 / 150) */
    public LstmWorkload(Budget budget) {
        this.budget = budget;
    }

    @Override
    public String id() {
        return "lstm";
    }

    @Override
    public String source() {
        return "UCISequenceClassification (deeplearning4j-examples quickstart): LSTM(10, tanh) + RnnOutputLayer "
                + "softmax/MCXENT, XAVIER, Nadam(1e-3), element-wise gradient clipping 0.5, batch 10, 450/150 series "
                + "(synthetic control charts generated from their published equations), tested on " + budget.testExamples()
                + " series; " + budget.epochs()
                + " epoch(s) = " + budget.updates(BATCH) + " updates (published: 40 epochs)";
    }

    @Override
    public boolean regression() {
        return false;
    }

    @Override
    public boolean heavy() {
        return true;
    }

    @Override
    public IUpdater publishedUpdater() {
        return new Nadam();
    }

    /**
     * @param updater the updater
     * @param seed    seed
     * @return the published configuration with {@code updater}
     */
    public static MultiLayerConfiguration configuration(IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(CLIP)
                .list()
                .layer(new LSTM.Builder().activation(Activation.TANH).nIn(1).nOut(HIDDEN).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(HIDDEN)
                        .nOut(SyntheticControl.CLASSES).build())
                .build();
    }

    @Override
    public Model build(IUpdater updater, long seed) {
        return Workload.initialized(configuration(updater, seed));
    }

    @Override
    public synchronized Data data(long seed) throws IOException {
        if (train == null) {
            load();
        }
        return new Data(Batches.shuffled(train, BATCH, budget.epochs(), seed), test, Double.NaN);
    }

    private void load() throws IOException {
        double[][] series = SyntheticControl.generate(100, DATA_SEED);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < series.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(12345));
        double[][] trainX = new double[TRAIN][];
        int[] trainY = new int[TRAIN];
        // the published 150 test series, then (when the budget asks for more, so that one point of accuracy is above
        // the test set's sampling error) further series of the same generator under another seed, class-balanced
        int extraPerClass = Math.max(0, (budget.testExamples() - (series.length - TRAIN) + SyntheticControl.CLASSES
                - 1) / SyntheticControl.CLASSES);
        double[][] extra = SyntheticControl.generate(extraPerClass, DATA_SEED + 1);
        double[][] testX = new double[series.length - TRAIN + extra.length][];
        int[] testY = new int[testX.length];
        for (int k = 0; k < extra.length; k++) {
            testX[series.length - TRAIN + k] = extra[k];
            testY[series.length - TRAIN + k] = k / Math.max(1, extraPerClass);
        }
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            if (k < TRAIN) {
                trainX[k] = series[i];
                trainY[k] = i / 100;
            } else {
                testX[k - TRAIN] = series[i];
                testY[k - TRAIN] = i / 100;
            }
        }
        Path dir = Files.createTempDirectory("adaloss-uci");
        try {
            DataVecFiles.writeSequences(dir.resolve("train"), trainX, trainY);
            DataVecFiles.writeSequences(dir.resolve("test"), testX, testY);
            train = DataVecFiles.readSequences(dir.resolve("train"), trainX.length, SyntheticControl.CLASSES);
            test = DataVecFiles.readSequences(dir.resolve("test"), testX.length, SyntheticControl.CLASSES);
        } finally {
            deleteTree(dir);
        }
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(train);
        norm.transform(train);
        norm.transform(test);
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Collections.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
