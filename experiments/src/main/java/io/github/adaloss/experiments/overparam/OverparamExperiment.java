package io.github.adaloss.experiments.overparam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import io.github.adaloss.experiments.run.Trainer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Over-parameterization sweep after Kawaguchi and Huang (arXiv 1908.02419): gradient descent reaches a global
 * minimum of a deep nonlinear network once its number of trainable parameters P grows linearly with the number of
 * training samples n, and such a network generalizes on natural labels but not on random ones.
 *
 * <p>Network: an MLP with {@value #HIDDEN_LAYERS} hidden ReLU layers of width h (depth 3), biases, identity output
 * of k units, so {@code P(h) = (d + 1) h + (h + 1) h + (h + 1) k}; for every ratio c of the grid the width is the
 * smallest h with {@code P(h) >= c n}, plus a quadratic-size reference with {@code P >= n^2}. Loss: DL4J's MSE on
 * one-hot labels (mean over outputs and examples), full-batch gradient descent ({@code Sgd}), double precision,
 * Xavier initialization. The step: with {@link Config#edgeFraction()} {@code > 0}, every run takes
 * {@code edgeFraction * 2 / lambda_max}, {@code lambda_max} being the largest Hessian eigenvalue of that run's loss at
 * its initialization ({@link Curvature}): gradient descent on a quadratic is stable below {@code 2 / lambda_max},
 * so the step is as large as the problem allows with a margin, whatever the width and the labels; otherwise the
 * fixed step {@link Config#learningRate()}. Labels: the natural ones,
 * or "random": every training label replaced by a uniformly drawn class (seeded; test labels stay true). Each run
 * records the training loss curve, train and test accuracy, and the first iteration at which the training loss is
 * at most {@link Config#threshold()} times its initial value.
 */
public final class OverparamExperiment {

    /** Number of hidden layers (depth = hidden layers + 1 = 3). */
    public static final int HIDDEN_LAYERS = 2;
    /** Power iterations of the curvature estimate behind the step. */
    static final int CURVATURE_ITERATIONS = 30;
    /**
     * A run stops once its loss is below {@code STOP_BELOW_THRESHOLD * threshold} of its start: a decade below the
     * verdict's threshold, nothing later changes it (the final loss and accuracies are taken there).
     */
    static final double STOP_BELOW_THRESHOLD = 0.1;

    /**
     * Sizes of the sweep.
     *
     * @param ratios       the P/n grid
     * @param quadratic    whether to add the P >= n^2 reference
     * @param iterations   full-batch gradient-descent iterations per run
     * @param learningRate the fixed gradient-descent step, used only when {@code edgeFraction <= 0} (NaN otherwise)
     * @param seeds        seeds per (width, labels)
     * @param threshold    "converged" means training loss at most this fraction of its initial value
     * @param seed         base seed (split, random labels, initialization)
     * @param edgeFraction if {@code > 0}: every run's step is this fraction of its own stability edge
     *                     {@code 2 / lambda_max(Hessian at initialization)}
     */
    public record Config(double[] ratios, boolean quadratic, int iterations, double learningRate, int seeds,
                         double threshold, long seed, double edgeFraction) {

        /**
         * Default fraction of the stability edge: 0.9 (stable with a 10% margin). Measured on distinct Iris at seed
         * 11: half the edge leaves the natural-label loss at 1.6e-2 of its start after 3000 iterations at P/n = 10.6;
         * 0.9 of it reaches 1e-3 within 5000.
         */
        public static final double EDGE_FRACTION = 0.9;

        /** @return the default size */
        public static Config defaults(long seed) {
            return new Config(new double[] {0.1, 0.3, 1, 3, 10, 30}, false, 5000, Double.NaN, 1, 1e-2, seed,
                    EDGE_FRACTION);
        }

        /** @return the {@code --full} size */
        public static Config full(long seed) {
            return new Config(new double[] {0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 30}, true, 10000, Double.NaN, 3, 1e-2,
                    seed, EDGE_FRACTION);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(ratios, c.ratios) && quadratic == c.quadratic
                    && iterations == c.iterations && Double.compare(learningRate, c.learningRate) == 0
                    && seeds == c.seeds && threshold == c.threshold && seed == c.seed
                    && Double.compare(edgeFraction, c.edgeFraction) == 0;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ratios) * 31 + Long.hashCode(seed);
        }

        @Override
        public String toString() {
            return "Config(ratios=" + Arrays.toString(ratios) + ", quadratic=" + quadratic + ", iterations="
                    + iterations + ", learningRate=" + learningRate + ", seeds=" + seeds + ", threshold=" + threshold
                    + ", seed=" + seed + ", edgeFraction=" + edgeFraction + ")";
        }
    }

    /**
     * A data set split into training and test examples.
     *
     * @param name  data set name
     * @param train training examples (features [n, d], one-hot labels [n, k])
     * @param test  test examples
     */
    public record Split(String name, DataSet train, DataSet test) {
    }

    /**
     * One training run.
     *
     * @param dataset      data set name
     * @param labels       "natural" or "random"
     * @param hidden       hidden width h
     * @param parameters   P
     * @param samples      n
     * @param seed         seed of the labels and the initialization
     * @param loss         training loss after each iteration (index 0: at initialization)
     * @param trainAccuracy final training accuracy (against the labels trained on)
     * @param testAccuracy  final test accuracy (true labels)
     * @param converged    first iteration with loss at most threshold * loss[0], -1 if none
     * @param lambdaMax    largest Hessian eigenvalue of the training loss at initialization (NaN if not measured)
     * @param step         the gradient-descent step the run used
     */
    public record Run(String dataset, String labels, int hidden, long parameters, int samples, long seed,
                      double[] loss, double trainAccuracy, double testAccuracy, int converged, double lambdaMax,
                      double step) {

        /** @return P / n */
        public double ratio() {
            return (double) parameters / samples;
        }

        /** @return final loss / initial loss */
        public double relativeFinalLoss() {
            return loss[loss.length - 1] / loss[0];
        }
    }

    /**
     * Everything the sweep produced.
     *
     * @param config the sizes
     * @param runs   every run, grouped by data set, labels, width, seed
     */
    public record Result(Config config, List<Run> runs) {
    }

    private OverparamExperiment() {
    }

    /**
     * @param d input dimension
     * @param h hidden width
     * @param k outputs
     * @return {@code P(h) = (d + 1) h + (h + 1) h + (h + 1) k}
     */
    public static long parameterCount(int d, int h, int k) {
        return (long) (d + 1) * h + (long) (h + 1) * h + (long) (h + 1) * k;
    }

    /** @return the smallest width h >= 1 with {@code P(h) >= target} */
    public static int widthFor(int d, int k, double target) {
        int h = 1;
        while (parameterCount(d, h, k) < target) {
            h++;
        }
        return h;
    }

    /** @return the distinct widths of the sweep for n samples, ascending */
    public static int[] widths(Config c, int n, int d, int k) {
        List<Integer> w = new ArrayList<>();
        for (double r : c.ratios()) {
            int h = widthFor(d, k, r * n);
            if (!w.contains(h)) {
                w.add(h);
            }
        }
        if (c.quadratic()) {
            int h = widthFor(d, k, (double) n * n);
            if (!w.contains(h)) {
                w.add(h);
            }
        }
        return w.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** @return number of runs over the given splits, for a progress bar */
    public static int runCount(Config c, List<Split> splits) {
        int count = 0;
        for (Split s : splits) {
            count += 2 * c.seeds() * widths(c, s.train().numExamples(), (int) s.train().getFeatures().columns(),
                    (int) s.train().getLabels().columns()).length;
        }
        return count;
    }

    /**
     * @param c        sizes
     * @param splits   the data sets
     * @param progress called once per run with a one-line message (may be null)
     * @return all runs
     */
    public static Result run(Config c, List<Split> splits, Consumer<String> progress) {
        List<Run> runs = new ArrayList<>();
        for (Split s : splits) {
            DataSet train = s.train().copy();
            train.setFeatures(train.getFeatures().castTo(DataType.DOUBLE));
            train.setLabels(train.getLabels().castTo(DataType.DOUBLE));
            DataSet test = new DataSet(s.test().getFeatures().castTo(DataType.DOUBLE),
                    s.test().getLabels().castTo(DataType.DOUBLE));
            int n = train.numExamples();
            int d = (int) train.getFeatures().columns();
            int k = (int) train.getLabels().columns();
            for (String labels : List.of("natural", "random")) {
                for (int h : widths(c, n, d, k)) {
                    for (int i = 0; i < c.seeds(); i++) {
                        long seed = c.seed() + i;
                        DataSet data = labels.equals("natural") ? train
                                : new DataSet(train.getFeatures(), randomLabels(n, k, seed));
                        Run r = train(s.name(), labels, data, test, h, seed, c);
                        runs.add(r);
                        if (progress != null) {
                            progress.accept(String.format(java.util.Locale.ROOT,
                                    "overparam %s %s labels h=%d P/n=%.2f: loss ratio %.2e, test %.2f", s.name(),
                                    labels, h, r.ratio(), r.relativeFinalLoss(), r.testAccuracy()));
                        }
                    }
                }
            }
        }
        return new Result(c, List.copyOf(runs));
    }

    /** @return one-hot labels of uniformly drawn classes, [n, k] DOUBLE */
    static INDArray randomLabels(int n, int k, long seed) {
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 7);
        double[][] y = new double[n][k];
        for (int i = 0; i < n; i++) {
            y[i][rnd.nextInt(k)] = 1;
        }
        return org.nd4j.linalg.factory.Nd4j.createFromArray(y);
    }

    private static Run train(String dataset, String labels, DataSet data, DataSet test, int h, long seed,
                             Config c) {
        int d = (int) data.getFeatures().columns();
        int k = (int) data.getLabels().columns();
        double lambdaMax = Double.NaN;
        double step = c.learningRate();
        if (c.edgeFraction() > 0) {
            lambdaMax = Curvature.lambdaMax(network(d, h, k, seed, 0), data, CURVATURE_ITERATIONS, seed);
            step = c.edgeFraction() * 2 / lambdaMax;
        }
        MultiLayerNetwork net = network(d, h, k, seed, step);
        double[] loss = Trainer.fullBatch(net, data, c.iterations(), c.threshold() * STOP_BELOW_THRESHOLD).loss();
        int converged = -1;
        for (int t = 0; t < loss.length && converged < 0; t++) {
            if (loss[t] <= c.threshold() * loss[0]) {
                converged = t;
            }
        }
        return new Run(dataset, labels, h, parameterCount(d, h, k), data.numExamples(), seed, loss,
                Trainer.accuracy(net, data), Trainer.accuracy(net, test), converged, lambdaMax, step);
    }

    /**
     * @return the depth-3 MLP d-h-h-k (ReLU hidden layers, identity output, MSE, Xavier init, double precision)
     *         trained by full-batch gradient descent with step {@code learningRate}
     */
    static MultiLayerNetwork network(int d, int h, int k, long seed, double learningRate) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER).updater(new Sgd(learningRate)).list();
        int in = d;
        for (int l = 0; l < HIDDEN_LAYERS; l++) {
            b.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
            in = h;
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(h).nOut(k)
                .activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /**
     * A stratified split: from every class, the first {@code trainFraction} of its examples (after a seeded
     * shuffle) go to training, the rest to test.
     *
     * @param name          data set name
     * @param all           features and one-hot labels
     * @param trainFraction in (0, 1)
     * @param seed          shuffle seed
     * @return the split
     */
    public static Split stratified(String name, DataSet all, double trainFraction, long seed) {
        int n = all.numExamples();
        int k = (int) all.getLabels().columns();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        INDArray classes = all.getLabels().argMax(1);
        for (int i = 0; i < n; i++) {
            byClass.get(classes.getInt(i)).add(i);
        }
        Random rnd = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> idx : byClass) {
            java.util.Collections.shuffle(idx, rnd);
            int cut = (int) Math.round(trainFraction * idx.size());
            train.addAll(idx.subList(0, cut));
            test.addAll(idx.subList(cut, idx.size()));
        }
        return new Split(name, rows(all, train), rows(all, test));
    }

    /**
     * Average-pools square images stored as rows ({@code side x side} pixels) by {@code factor} in each direction:
     * Fashion-MNIST's 784 inputs become 49 at factor 4, so that small widths still give P below n.
     *
     * @param images [n, side^2]
     * @param factor pooling factor, dividing side
     * @return [n, (side/factor)^2]
     */
    public static INDArray pool(INDArray images, int factor) {
        int side = (int) Math.round(Math.sqrt(images.columns()));
        if (side * side != images.columns() || side % factor != 0) {
            throw new IllegalArgumentException("images must have side^2 columns with side divisible by " + factor
                    + ", got " + images.columns());
        }
        int out = side / factor;
        double[][] x = images.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] y = new double[x.length][out * out];
        for (int i = 0; i < x.length; i++) {
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    y[i][(r / factor) * out + c / factor] += x[i][r * side + c] / (factor * factor);
                }
            }
        }
        return org.nd4j.linalg.factory.Nd4j.createFromArray(y);
    }

    private static DataSet rows(DataSet all, List<Integer> idx) {
        int[] r = idx.stream().mapToInt(Integer::intValue).toArray();
        return new DataSet(all.getFeatures().getRows(r), all.getLabels().getRows(r));
    }
}
