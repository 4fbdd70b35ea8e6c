package io.github.adaloss.experiments.overparam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.Locale;
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
 * training samples n, for natural and for random labels, and such a network generalizes on natural labels only.
 *
 * <p>Network: an MLP with {@value #HIDDEN_LAYERS} hidden ReLU layers of width h (depth 3), biases, identity output
 * of k units, so {@code P(h) = (d + 1) h + (h + 1) h + (h + 1) k}; loss DL4J's MSE on one-hot labels (mean over
 * outputs and examples), full-batch gradient descent in double precision ({@link PlainMlp}, the same network and
 * loss as the DL4J {@link #network}), Xavier initialization. Every run's step is {@link Config#edgeFraction()}
 * times its own stability edge {@code 2 / lambda_max}, lambda_max the largest eigenvalue of the Gauss-Newton matrix at
 * initialization: as large as the problem allows with a margin, whatever the width and the labels, and nothing is
 * tuned on a result. Every run goes until its training loss is at most {@link Config#threshold()} times its initial
 * value, or a cap: {@link Config#cap()} for natural labels; for random labels {@link Config#capFactor()} times the
 * median natural-label time at the same width, at most {@link Config#cap()} ({@link Config#cap()} where natural
 * labels do not reach the threshold).
 *
 * <p>Two parts. "ratio": on each data set of the first list, P/n over {@link Config#ratios()}, natural labels with
 * {@link Config#seeds()} initialization seeds, random labels (every training label replaced by a uniformly drawn
 * class, test labels stay true) with {@link Config#draws()} label draws, each paired with one initialization seed
 * (or crossed with every seed, {@link Config#crossDraws()}). "scaling": on nested subsets of the first n distinct
 * inputs of one data set, for every n of {@link Config#sizes()}, random labels at {@code P >= m n k} for every m of
 * {@link Config#multiples()} (k outputs: n k is the number of equations an exact fit must satisfy), cap
 * {@link Config#scalingCap()}, plus natural labels at the largest m as the reference time.
 */
public final class OverparamExperiment {

    /** Number of hidden layers (depth = hidden layers + 1 = 3). */
    public static final int HIDDEN_LAYERS = 2;
    /** Power iterations of the curvature estimate behind the step. */
    static final int CURVATURE_ITERATIONS = 30;
    /** Labels kind. */
    public static final String NATURAL = "natural";
    /** Labels kind. */
    public static final String RANDOM = "random";
    /** Part of the sweep: P/n grid at one n. */
    public static final String RATIO = "ratio";
    /** Part of the sweep: n varies. */
    public static final String SCALING = "scaling";

    /**
     * Sizes of the sweep.
     *
     * @param ratios       the P/n grid of the "ratio" part
     * @param seeds        initialization seeds per width
     * @param draws        random-label draws per width
     * @param crossDraws   every draw with every seed (else draw i with seed i; then draws must equal seeds)
     * @param threshold    "fitted" means training loss at most this fraction of its initial value
     * @param cap          iteration cap of natural-label runs and upper bound of the random-label cap
     * @param capFactor    random-label cap = capFactor x the median natural-label time at the same width
     * @param edgeFraction every run's step is this fraction of its stability edge 2 / lambda_max
     * @param sizes        the n of the "scaling" part (nested subsets), ascending
     * @param multiples    the P/(n k) grid of the "scaling" part
     * @param scalingCap   iteration cap of the "scaling" part
     * @param seed         base seed (labels, initialization)
     */
    public record Config(double[] ratios, int seeds, int draws, boolean crossDraws, double threshold, int cap,
                         double capFactor, double edgeFraction, int[] sizes, double[] multiples, int scalingCap,
                         long seed) {

        /** Default fraction of the stability edge: 0.9 (stable with a 10% margin). */
        public static final double EDGE_FRACTION = 0.9;

        /** Validates. */
        public Config {
            require(ratios.length > 0 && Arrays.stream(ratios).allMatch(r -> r > 0), "ratios",
                    Arrays.toString(ratios));
            require(seeds >= 1, "seeds", seeds);
            require(draws >= 1 && (crossDraws || draws == seeds), "draws", draws + " (seeds " + seeds
                    + ", paired draws need draws == seeds)");
            require(threshold > 0 && threshold < 1, "threshold", threshold);
            require(cap >= 1, "cap", cap);
            require(capFactor > 0, "capFactor", capFactor);
            require(edgeFraction > 0 && edgeFraction < 1, "edgeFraction", edgeFraction);
            require(Arrays.stream(sizes).allMatch(s -> s >= 2), "sizes", Arrays.toString(sizes));
            require(Arrays.stream(multiples).allMatch(m -> m > 0), "multiples", Arrays.toString(multiples));
            require(scalingCap >= 1, "scalingCap", scalingCap);
            ratios = ratios.clone();
            sizes = sizes.clone();
            multiples = multiples.clone();
        }

        private static void require(boolean ok, String field, Object value) {
            if (!ok) {
                throw new IllegalArgumentException("overparam config: invalid " + field + ": " + value);
            }
        }

        /** @return the default size: Iris P/n up to 110 (h = 100 >= n = 98), 3 seeds, 3 paired draws; n = 25-100 */
        public static Config defaults(long seed) {
            return new Config(new double[] {0.3, 1, 3, 10, 30, 110}, 3, 3, false, 1e-2, 50_000, 20, EDGE_FRACTION,
                    new int[] {25, 50, 100}, new double[] {Math.sqrt(2), 2, 2 * Math.sqrt(2), 4}, 50_000, seed);
        }

        /** @return the {@code --full} size: finer grids, 3 x 3 crossed draws, n up to 400, scaling cap 50 000 */
        public static Config full(long seed) {
            return new Config(new double[] {0.1, 0.3, 1, 2, 3, 5, 10, 30, 110}, 3, 3, true, 1e-2, 50_000, 20,
                    EDGE_FRACTION, new int[] {25, 50, 100, 200, 400},
                    new double[] {1, 1.19, 1.41, 1.68, 2, 2.38, 2.83, 4, 5.66}, 50_000, seed);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(ratios, c.ratios) && seeds == c.seeds && draws == c.draws
                    && crossDraws == c.crossDraws && threshold == c.threshold && cap == c.cap
                    && capFactor == c.capFactor && edgeFraction == c.edgeFraction && Arrays.equals(sizes, c.sizes)
                    && Arrays.equals(multiples, c.multiples) && scalingCap == c.scalingCap && seed == c.seed;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ratios) * 31 + Arrays.hashCode(sizes) * 7 + Long.hashCode(seed);
        }

        @Override
        public String toString() {
            return "Config(ratios=" + Arrays.toString(ratios) + ", seeds=" + seeds + ", draws=" + draws
                    + ", crossDraws=" + crossDraws + ", threshold=" + threshold + ", cap=" + cap + ", capFactor="
                    + capFactor + ", edgeFraction=" + edgeFraction + ", sizes=" + Arrays.toString(sizes)
                    + ", multiples=" + Arrays.toString(multiples) + ", scalingCap=" + scalingCap + ", seed=" + seed
                    + ")";
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
     * @param dataset       data set name
     * @param part          {@link #RATIO} or {@link #SCALING}
     * @param labels        {@link #NATURAL} or {@link #RANDOM}
     * @param draw          index of the random-label draw, -1 for natural labels
     * @param hidden        hidden width h
     * @param parameters    P
     * @param samples       n
     * @param outputs       k
     * @param seed          initialization seed
     * @param cap           the run's iteration cap
     * @param iterations    first iteration with loss at most threshold x L(0), -1 if not within the cap
     * @param finalRelative L(last) / L(0)
     * @param trainAccuracy final training accuracy (against the labels trained on)
     * @param testAccuracy  final test accuracy (true labels)
     * @param lambdaMax     largest Gauss-Newton eigenvalue at initialization
     * @param step          the gradient-descent step
     */
    public record Run(String dataset, String part, String labels, int draw, int hidden, long parameters, int samples,
                      int outputs, long seed, int cap, int iterations, double finalRelative, double trainAccuracy,
                      double testAccuracy, double lambdaMax, double step) {

        /** @return P / n */
        public double ratio() {
            return (double) parameters / samples;
        }

        /** @return P / (n k): parameters per equation of an exact fit */
        public double perEquation() {
            return (double) parameters / ((long) samples * outputs);
        }

        /** @return whether the threshold was reached within the cap */
        public boolean reached() {
            return iterations >= 0;
        }
    }

    /**
     * Everything the sweep produced.
     *
     * @param config the sizes
     * @param runs   every run
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

    /** @return the distinct widths {@code widthFor(d, k, r * scale)} over the grid, ascending */
    public static int[] widths(double[] grid, double scale, int d, int k) {
        return Arrays.stream(grid).mapToInt(r -> widthFor(d, k, r * scale)).distinct().sorted().toArray();
    }

    /** @return the number of runs, for a progress bar */
    public static int runCount(Config c, List<Split> ratioData, Split scalingData) {
        int perWidth = c.seeds() + (c.crossDraws() ? c.seeds() * c.draws() : c.draws());
        int count = 0;
        for (Split s : ratioData) {
            count += perWidth * widths(c.ratios(), s.train().numExamples(), columns(s.train().getFeatures()),
                    columns(s.train().getLabels())).length;
        }
        if (scalingData != null) {
            int d = columns(scalingData.train().getFeatures());
            int k = columns(scalingData.train().getLabels());
            for (int n : c.sizes()) {
                count += (perWidth - c.seeds()) * widths(c.multiples(), (double) n * k, d, k).length + c.seeds();
            }
        }
        return count;
    }

    private static int columns(INDArray a) {
        return (int) a.columns();
    }

    /**
     * @param c           sizes
     * @param ratioData   the data sets of the "ratio" part
     * @param scalingData the data set of the "scaling" part (its first n training rows for every n), or null
     * @param progress    called once per run with a one-line message (may be null)
     * @return all runs
     * @throws IllegalArgumentException if a size of the scaling part exceeds the training rows of scalingData
     */
    public static Result run(Config c, List<Split> ratioData, Split scalingData, Consumer<String> progress) {
        if (scalingData != null) {
            for (int n : c.sizes()) {
                if (n > scalingData.train().numExamples()) {
                    throw new IllegalArgumentException("overparam scaling size " + n + " exceeds the "
                            + scalingData.train().numExamples() + " training rows of " + scalingData.name());
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Split s : ratioData) {
            Problem p = Problem.of(s, s.train().numExamples());
            for (int h : widths(c.ratios(), p.n, p.d, p.k)) {
                List<Run> natural = new ArrayList<>();
                for (int i = 0; i < c.seeds(); i++) {
                    natural.add(report(progress, train(s.name(), RATIO, p, -1, h, c.seed() + i, c.cap(), c)));
                }
                runs.addAll(natural);
                double median = medianIterations(natural);
                int cap = Double.isNaN(median) ? c.cap()
                        : (int) Math.min(c.cap(), Math.ceil(c.capFactor() * median));
                runs.addAll(randomRuns(s.name(), RATIO, p, h, cap, c, progress));
            }
        }
        if (scalingData != null) {
            for (int n : c.sizes()) {
                Problem p = Problem.of(scalingData, n);
                int[] hs = widths(c.multiples(), (double) n * p.k, p.d, p.k);
                for (int h : hs) {
                    runs.addAll(randomRuns(scalingData.name(), SCALING, p, h, c.scalingCap(), c, progress));
                }
                for (int i = 0; i < c.seeds(); i++) {
                    runs.add(report(progress, train(scalingData.name(), SCALING, p, -1, hs[hs.length - 1],
                            c.seed() + i, c.scalingCap(), c)));
                }
            }
        }
        return new Result(c, List.copyOf(runs));
    }

    private static List<Run> randomRuns(String name, String part, Problem p, int h, int cap, Config c,
                                        Consumer<String> progress) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < c.seeds(); i++) {
            for (int j = 0; j < c.draws(); j++) {
                if (c.crossDraws() || i == j) {
                    runs.add(report(progress, train(name, part, p, j, h, c.seed() + i, cap, c)));
                }
            }
        }
        return runs;
    }

    private static Run report(Consumer<String> progress, Run r) {
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "overparam %s n=%d %s labels h=%d P/n=%.1f: %s, test %.2f",
                    r.dataset(), r.samples(), r.labels(), r.hidden(), r.ratio(), r.reached()
                            ? "fitted at " + r.iterations() : String.format(Locale.ROOT, "%.2e at cap %d",
                            r.finalRelative(), r.cap()), r.testAccuracy()));
        }
        return r;
    }

    /** @return the median of the reached runs' iterations-to-threshold, NaN unless every run reached */
    public static double medianIterations(List<Run> runs) {
        if (runs.isEmpty() || !runs.stream().allMatch(Run::reached)) {
            return Double.NaN;
        }
        double[] t = runs.stream().mapToDouble(Run::iterations).sorted().toArray();
        return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
    }

    /** The training rows of one run as plain arrays. */
    record Problem(Split split, int n, int d, int k, double[] x, double[] y, int[] trainClasses, double[] testX,
                   int[] testClasses) {

        static Problem of(Split s, int n) {
            double[][] xs = s.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[][] ys = s.train().getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
            int d = xs[0].length;
            int k = ys[0].length;
            double[] x = new double[n * d];
            double[] y = new double[n * k];
            for (int i = 0; i < n; i++) {
                System.arraycopy(xs[i], 0, x, i * d, d);
                System.arraycopy(ys[i], 0, y, i * k, k);
            }
            double[][] tx = s.test().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] testX = new double[tx.length * d];
            for (int i = 0; i < tx.length; i++) {
                System.arraycopy(tx[i], 0, testX, i * d, d);
            }
            return new Problem(s, n, d, k, x, y, OverparamExperiment.classes(y, k), testX,
                    OverparamExperiment.classes(s.test().getLabels().castTo(DataType.DOUBLE).toDoubleMatrix()));
        }
    }

    static int[] classes(double[] oneHot, int k) {
        int[] c = new int[oneHot.length / k];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < k; j++) {
                if (oneHot[i * k + j] > oneHot[i * k + c[i]]) {
                    c[i] = j;
                }
            }
        }
        return c;
    }

    private static int[] classes(double[][] oneHot) {
        int[] c = new int[oneHot.length];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < oneHot[i].length; j++) {
                if (oneHot[i][j] > oneHot[i][c[i]]) {
                    c[i] = j;
                }
            }
        }
        return c;
    }

    /** @return the seed of random-label draw j */
    static long drawSeed(Config c, int j) {
        return c.seed() + 1000 + j;
    }

    private static Run train(String dataset, String part, Problem p, int draw, int h, long seed, int cap, Config c) {
        double[] y = draw < 0 ? p.y : randomLabels(p.n, p.k, drawSeed(c, draw)).data().asDouble();
        PlainMlp net = PlainMlp.xavier(p.d, h, p.k, seed);
        double lambdaMax = net.lambdaMax(p.x, p.n, CURVATURE_ITERATIONS, seed);
        double step = c.edgeFraction() * 2 / lambdaMax;
        double[] loss = net.descend(p.x, y, p.n, step, cap, c.threshold());
        double last = loss[loss.length - 1];
        int reached = last <= c.threshold() * loss[0] ? loss.length - 1 : -1;
        return new Run(dataset, part, draw < 0 ? NATURAL : RANDOM, draw, h, net.parameterCount(), p.n, p.k, seed,
                cap, reached, last / loss[0], net.accuracy(p.x, classes(y, p.k)),
                net.accuracy(p.testX, p.testClasses), lambdaMax, step);
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
