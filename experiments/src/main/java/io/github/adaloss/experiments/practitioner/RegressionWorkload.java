package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Regression with a mean squared loss on targets of a realistic scale: the network of deeplearning4j-examples'
 * regression quickstart ({@code RegressionSum} / {@code SumModel}: one hidden {@code DenseLayer} of 10 TANH units,
 * {@code OutputLayer} IDENTITY with {@code LossFunction.MSE}, {@code weightInit(XAVIER)}, {@code Nesterovs(0.01,
 * 0.9)}, batch 100), on Friedman's first problem ({@link Friedman1}: 10 inputs, targets about 0..30) instead of the
 * sum of two numbers. The data are written to a CSV file and read back with {@code CSVRecordReader} +
 * {@code RecordReaderDataSetIterator(reader, batch, 10, 10, true)}. Metric: test RMSE / standard deviation of the test
 * targets (1 = predicting the mean; the noise floor is about 0.2). Changed: the data and the budget.
 */
public final class RegressionWorkload implements Workload {

    /** Published batch size. */
    public static final int BATCH = 100;
    /** Published hidden width. */
    public static final int HIDDEN = 10;
    /** Seed of the generated data (fixed). */
    public static final long DATA_SEED = 1991;

    private final Budget budget;
    private DataSet train;
    private DataSet test;
    private double targetStd;

    /** @param budget training budget */
    public RegressionWorkload(Budget budget) {
        this.budget = budget;
    }

    @Override
    public String id() {
        return "regression";
    }

    @Override
    public String source() {
        return "RegressionSum (deeplearning4j-examples quickstart regression): 10 tanh hidden units, identity output, "
                + "MSE, XAVIER, Nesterovs(0.01, 0.9), batch 100; on Friedman #1 (targets ~0..30) read through "
                + "CSVRecordReader, " + budget.trainExamples() + " examples x " + budget.epochs() + " epochs = "
                + budget.updates(BATCH) + " updates (published: 200 epochs of 1000 sums of two numbers)";
    }

    @Override
    public boolean regression() {
        return true;
    }

    @Override
    public boolean heavy() {
        return false;
    }

    @Override
    public IUpdater publishedUpdater() {
        return new Nesterovs(0.01, 0.9);
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
                .list()
                .layer(new DenseLayer.Builder().nIn(Friedman1.FEATURES).nOut(HIDDEN).activation(Activation.TANH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(HIDDEN).nOut(1)
                        .build())
                .build();
    }

    @Override
    public Model build(IUpdater updater, long seed) {
        return Workload.initialized(configuration(updater, seed));
    }

    @Override
    public synchronized Data data(long seed) throws IOException {
        if (train == null) {
            int n = budget.trainExamples() + budget.testExamples();
            double[][] rows = Friedman1.generate(n, DATA_SEED);
            Path file = Files.createTempFile("adaloss-friedman1", ".csv");
            try {
                DataVecFiles.writeCsv(rows, file);
                DataSet all = DataVecFiles.readRegression(file, Friedman1.FEATURES + 1, n);
                train = Batches.rows(all, 0, budget.trainExamples());
                test = Batches.rows(all, budget.trainExamples(), n);
            } finally {
                Files.deleteIfExists(file);
            }
            targetStd = test.getLabels().stdNumber().doubleValue();
        }
        return new Data(Batches.shuffled(train, BATCH, budget.epochs(), seed), test, targetStd);
    }
}
