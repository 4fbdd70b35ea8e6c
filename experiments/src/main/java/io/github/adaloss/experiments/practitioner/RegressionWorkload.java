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
 * Regression with a mean squared loss on unscaled targets: the network of deeplearning4j-examples' regression
 * quickstart ({@code RegressionSum} / {@code SumModel}: one hidden {@code DenseLayer} of 10 TANH units,
 * {@code OutputLayer} IDENTITY with {@code LossFunction.MSE}, {@code weightInit(XAVIER)}, {@code Nesterovs(0.01,
 * 0.9)}, batch 100), on one of two {@link Problem}s: {@code regression}, Friedman's first problem ({@link Friedman1}:
 * 10 inputs, targets about 0..30) instead of the sum of two numbers; {@code sum}, the example's own data (two inputs
 * uniform on [0, 3), target their sum; the example's 1,000 training pairs and 200 epochs; tested on further pairs of
 * the same distribution). The data are written to a CSV file and read back with {@code CSVRecordReader} +
 * {@code RecordReaderDataSetIterator(reader, batch, nIn, nIn, true)}. Metric: test RMSE / standard deviation of the
 * test targets (1 = predicting the mean; Friedman's noise floor is about 0.2, the sum's is 0). Changed: the data
 * ({@code regression}) and the budget.
 */
public final class RegressionWorkload implements Workload {

    /** Published batch size. */
    public static final int BATCH = 100;
    /** Published hidden width. */
    public static final int HIDDEN = 10;
    /** Seed of the generated data (fixed). */
    public static final long DATA_SEED = 1991;

    /** The data of a regression configuration. */
    public enum Problem {
        /** Friedman's first problem: 10 inputs, targets about 0..30, noise 1 (configuration id "regression"). */
        FRIEDMAN1("regression", Friedman1.FEATURES),
        /** The quickstart's own data: two inputs uniform on [0, 3), target their sum (configuration id "sum"). */
        SUM("sum", 2);

        private final String id;
        private final int inputs;

        Problem(String id, int inputs) {
            this.id = id;
            this.inputs = inputs;
        }

        /** @return the number of inputs */
        public int inputs() {
            return inputs;
        }

        double[][] generate(int n, long seed) {
            if (this == FRIEDMAN1) {
                return Friedman1.generate(n, seed);
            }
            java.util.Random r = new java.util.Random(seed);
            double[][] rows = new double[n][];
            for (int i = 0; i < n; i++) {
                double a = 3 * r.nextDouble();
                double b = 3 * r.nextDouble();
                rows[i] = new double[] {a, b, a + b};
            }
            return rows;
        }
    }

    private final Problem problem;
    private final Budget budget;
    private DataSet train;
    private DataSet test;
    private double targetStd;

    /** @param budget training budget (Friedman's problem) */
    public RegressionWorkload(Budget budget) {
        this(Problem.FRIEDMAN1, budget);
    }

    /**
     * @param problem the data
     * @param budget  training budget
     */
    public RegressionWorkload(Problem problem, Budget budget) {
        this.problem = problem;
        this.budget = budget;
    }

    @Override
    public String id() {
        return problem.id;
    }

    @Override
    public String source() {
        return "RegressionSum (deeplearning4j-examples quickstart regression): 10 tanh hidden units, identity output, "
                + "MSE, XAVIER, Nesterovs(0.01, 0.9), batch 100; on " + (problem == Problem.FRIEDMAN1
                ? "Friedman #1 (targets ~0..30)" : "the example's sums of two numbers in [0, 3)") + " read through "
                + "CSVRecordReader, " + budget.trainExamples() + " examples x " + budget.epochs() + " epochs = "
                + budget.updates(BATCH) + " updates, tested on " + budget.testExamples()
                + " (published: 200 epochs of 1000 sums of two numbers)";
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
     * @return the published configuration with {@code updater}, on Friedman's 10 inputs
     */
    public static MultiLayerConfiguration configuration(IUpdater updater, long seed) {
        return configuration(updater, seed, Friedman1.FEATURES);
    }

    /**
     * @param updater the updater
     * @param seed    seed
     * @param inputs  number of inputs
     * @return the published configuration with {@code updater}
     */
    public static MultiLayerConfiguration configuration(IUpdater updater, long seed, int inputs) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(HIDDEN).activation(Activation.TANH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(HIDDEN).nOut(1)
                        .build())
                .build();
    }

    @Override
    public Model build(IUpdater updater, long seed) {
        return Workload.initialized(configuration(updater, seed, problem.inputs));
    }

    @Override
    public synchronized Data data(long seed) throws IOException {
        if (train == null) {
            int n = budget.trainExamples() + budget.testExamples();
            double[][] rows = problem.generate(n, DATA_SEED);
            Path file = Files.createTempFile("adaloss-" + problem.id, ".csv");
            try {
                DataVecFiles.writeCsv(rows, file);
                DataSet all = DataVecFiles.readRegression(file, problem.inputs + 1, n);
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
