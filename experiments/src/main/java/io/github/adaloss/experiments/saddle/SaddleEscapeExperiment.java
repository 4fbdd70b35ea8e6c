package io.github.adaloss.experiments.saddle;

import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.Recovery;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.NonFiniteValueException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Saddle escape (Staib et al., arXiv 1901.09149) on {@link SaddleProblem}: SGD, RMSProp, Adam, AdaLoss and
 * AdaGrad-Norm, each over a small learning-rate grid, each (optimizer, rate) over {@code seeds} starting points
 * next to the saddle with mini-batch noise. The escape time of one run is the first iteration t (checked every
 * {@code evalEvery} updates) at which the full-data loss is at most {@code threshold * L(0)}, {@code L(0)} being
 * the loss at the start (which equals the saddle's loss up to {@code O(initScale^2)}); a run that has not
 * escaped after {@code maxIterations} or diverged counts as +infinity, so the median is a censored median.
 * Each optimizer's rate is chosen on {@link SaddleNoiseControl#TUNING_SEEDS} tuning seeds
 * ({@code seed + TUNING_OFFSET + k}, the whole grid, rule of {@link Result#reliableBest}) and then reported on
 * {@code seeds} other seeds ({@code seed + 1 + k}): nothing reported is tuned on the seeds it is reported at. The
 * grids reach each method's
 * divergence edge (SGD at 3 and AdaLoss at 10 lose seeds to divergence), so the comparison is not won by an
 * under-sized SGD step. A censored median (half or more of the seeds not escaped) is {@code Integer.MAX_VALUE}. Alongside,
 * {@link NoiseIsotropy} measures the gradient-noise isotropy at the first seed's starting point.
 */
public final class SaddleEscapeExperiment {

    /**
     * Sizes of the experiment.
     *
     * @param n             samples
     * @param d             input dimension
     * @param h             hidden width
     * @param inputSpread   largest/smallest input standard deviation
     * @param initScale     standard deviation of the starting parameters
     * @param batch         mini-batch size
     * @param maxIterations budget per run
     * @param evalEvery     loss check interval
     * @param seeds         runs per (optimizer, rate)
     * @param threshold     escape = loss at most this fraction of the starting loss
     * @param seed          base seed (data seed; run k uses {@code seed + 1 + k})
     */
    public record Config(int n, int d, int h, double inputSpread, double initScale, int batch, int maxIterations,
                         int evalEvery, int seeds, double threshold, long seed) {

        /** @return the default-run size (about 35 s on one core: 30 (optimizer, rate) pairs x 5 seeds) */
        public static Config defaults(long seed) {
            return new Config(256, 10, 10, 10, 1e-3, 16, 400, 1, 5, 0.5, seed);
        }

        /** @return the {@code --full} size (about 90 s on one core: 10 seeds, 1000 iterations) */
        public static Config full(long seed) {
            return new Config(256, 10, 10, 10, 1e-3, 16, 1000, 1, 10, 0.5, seed);
        }
    }

    /**
     * One optimizer at one learning rate over all seeds.
     *
     * @param optimizer name
     * @param rate      learning rate (eta for AdaLoss / AdaGrad-Norm, with b0 = 1)
     * @param escape    escape iteration per seed, {@code Integer.MAX_VALUE} = not escaped / diverged
     */
    public record Escapes(String optimizer, double rate, int[] escape) {

        /** @return the q-quantile (lower) of the escape times, {@code Integer.MAX_VALUE} if censored */
        public int quantile(double q) {
            int[] s = escape.clone();
            Arrays.sort(s);
            return s[(int) Math.floor(q * (s.length - 1))];
        }

        /** @return the median escape time (lower median) */
        public int median() {
            return quantile(0.5);
        }

        /** @return how many seeds escaped */
        public int escaped() {
            return (int) Arrays.stream(escape).filter(t -> t != Integer.MAX_VALUE).count();
        }
    }

    /**
     * Everything the experiment produced.
     *
     * @param config    sizes
     * @param runs      every (optimizer, rate of its grid) on the tuning seeds
     * @param reported  one entry per optimizer: its rate chosen on the tuning seeds ({@link #reliableBest}), run on
     *                  the reported seeds {@code seed + 1 + k}
     * @param isotropy  noise isotropy at the first starting point
     */
    public record Result(Config config, List<Escapes> runs, List<Escapes> reported, NoiseIsotropy isotropy) {

        /** @return the reported run of {@code optimizer} (its tuned rate on the reported seeds) */
        public Escapes best(String optimizer) {
            return reported.stream().filter(e -> e.optimizer().equals(optimizer)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no reported run for optimizer " + optimizer));
        }

        /**
         * @return the most reliable fast rate of {@code optimizer} on the tuning seeds: most seeds escaped, then
         *         smallest median, then smaller upper quartile, then smaller rate (a rate at the divergence edge that
         *         loses seeds does not win on a lucky median)
         */
        public Escapes reliableBest(String optimizer) {
            return reliable(runs, optimizer);
        }

        /**
         * @return CSV {@code optimizer,rate,seed,escape_iteration} with one row per run; the escape iteration is
         *         empty for a run that did not escape (budget exhausted or diverged)
         */
        public String toCsv() {
            StringBuilder sb = new StringBuilder("seeds,optimizer,rate,seed,escape_iteration\n");
            for (String set : List.of("tuning", "reported")) {
                for (Escapes e : set.equals("tuning") ? runs : reported) {
                    for (int k = 0; k < e.escape().length; k++) {
                        int t = e.escape()[k];
                        sb.append(set).append(',').append(e.optimizer()).append(',').append(e.rate()).append(',')
                                .append(set.equals("tuning") ? tuningSeed(config, k) : config.seed() + 1 + k)
                                .append(',').append(t == Integer.MAX_VALUE ? "" : Integer.toString(t)).append('\n');
                    }
                }
            }
            return sb.toString();
        }
    }

    /** @return see {@link Result#reliableBest}: over the given runs */
    static Escapes reliable(List<Escapes> runs, String optimizer) {
        Escapes best = null;
        for (Escapes e : runs) {
            if (!e.optimizer().equals(optimizer)) {
                continue;
            }
            if (best == null || e.escaped() > best.escaped() || e.escaped() == best.escaped()
                    && (e.median() < best.median() || e.median() == best.median()
                    && e.quantile(0.75) < best.quantile(0.75))) {
                best = e;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no runs for optimizer " + optimizer);
        }
        return best;
    }

    /** An optimizer with its grid. */
    private record Candidate(String name, double[] grid, DoubleFunction<IUpdater> updater, boolean lossFeed) {
    }

    /** Diagonal AdaGrad (DL4J's, epsilon 1e-6): the diagonal member of the pair that isolates isotropy. */
    public static final String ADAGRAD = "AdaGrad";
    /**
     * AdaGrad-Norm with {@code b0 = }{@value #NORMALIZED_B0} (the project's scalar updater): the same accumulation as
     * AdaGrad over the whole gradient instead of per coordinate, so its first step is normalized to length eta as
     * AdaGrad's are per coordinate, but the noise keeps its shape. With b0 = 1 (as "AdaGradNorm") the step is not
     * normalized at a saddle, where gradients are small.
     */
    public static final String ADAGRAD_NORM_NORMALIZED = "AdaGradNorm(b0=1e-6)";
    /** b0 of {@link #ADAGRAD_NORM_NORMALIZED}, AdaGrad's epsilon. */
    public static final double NORMALIZED_B0 = 1e-6;
    /** The common rate grid of {@link #ADAGRAD} and {@link #ADAGRAD_NORM_NORMALIZED}. */
    private static final double[] NORMALIZED_GRID = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3};

    /** Optimizer names in report order. */
    public static final List<String> OPTIMIZERS = List.of("SGD", "RMSProp", "Adam", "AdaLoss", "AdaGradNorm", ADAGRAD,
            ADAGRAD_NORM_NORMALIZED);

    private static List<Candidate> candidates() {
        return List.of(
                new Candidate("SGD", new double[] {0.01, 0.03, 0.1, 0.3, 1, 3}, Sgd::new, false),
                new Candidate("RMSProp", new double[] {1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1}, RmsProp::new, false),
                new Candidate("Adam", new double[] {1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1}, Adam::new, false),
                new Candidate("AdaLoss", new double[] {0.03, 0.1, 0.3, 1, 3, 10}, eta -> new AdaLoss(eta, 1.0), true),
                new Candidate("AdaGradNorm", new double[] {0.01, 0.03, 0.1, 0.3, 1, 3}, eta -> new AdaGradNorm(eta, 1.0), true),
                new Candidate(ADAGRAD, NORMALIZED_GRID, AdaGrad::new, false),
                new Candidate(ADAGRAD_NORM_NORMALIZED, NORMALIZED_GRID,
                        eta -> new AdaGradNorm(eta, NORMALIZED_B0), true));
    }

    private SaddleEscapeExperiment() {
    }

    /**
     * @param optimizer one of {@link #OPTIMIZERS}
     * @param rate      its learning rate (eta with b0 = 1 for AdaLoss / AdaGrad-Norm)
     * @return the updater as the experiment configures it
     */
    static IUpdater updater(String optimizer, double rate) {
        return candidates().stream().filter(c -> c.name().equals(optimizer)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("optimizer: unknown name " + optimizer))
                .updater().apply(rate);
    }

    /**
     * @param optimizer one of {@link #OPTIMIZERS}
     * @return its learning-rate grid (a copy)
     */
    static double[] grid(String optimizer) {
        return candidates().stream().filter(c -> c.name().equals(optimizer)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("optimizer: unknown name " + optimizer))
                .grid().clone();
    }

    /** @return whether the optimizer needs the loss feed */
    static boolean needsLossFeed(String optimizer) {
        return candidates().stream().anyMatch(c -> c.name().equals(optimizer) && c.lossFeed());
    }

    /** @return number of training runs, for a progress bar */
    public static int runCount(Config c) {
        return candidates().stream().mapToInt(x -> x.grid().length).sum() * SaddleNoiseControl.TUNING_SEEDS
                + candidates().size() * c.seeds();
    }

    /** @return the seed of tuning run k: {@code seed + TUNING_OFFSET + k}, disjoint from the reported seeds */
    static long tuningSeed(Config c, int k) {
        return c.seed() + SaddleNoiseControl.TUNING_OFFSET + k;
    }

    /**
     * @param c        sizes
     * @param progress called with a label after every run (may be null)
     * @return the escape times and the noise isotropy
     */
    public static Result run(Config c, java.util.function.Consumer<String> progress) {
        SaddleProblem problem = new SaddleProblem(c.n(), c.d(), c.h(), c.inputSpread(), c.seed());
        NoiseIsotropy iso = NoiseIsotropy.measure(problem.network(new Sgd(0.0), c.initScale(), c.seed() + 1),
                problem.data());
        List<Escapes> runs = new ArrayList<>();
        List<Escapes> reported = new ArrayList<>();
        for (Candidate cand : candidates()) {
            List<Escapes> tuning = new ArrayList<>();
            for (double rate : cand.grid()) {
                tuning.add(escapes(problem, cand, rate, c, true, progress));
            }
            runs.addAll(tuning);
            reported.add(escapes(problem, cand, reliable(tuning, cand.name()).rate(), c, false, progress));
        }
        return new Result(c, List.copyOf(runs), List.copyOf(reported), iso);
    }

    private static Escapes escapes(SaddleProblem problem, Candidate cand, double rate, Config c, boolean tuning,
                                   java.util.function.Consumer<String> progress) {
        int[] escape = new int[tuning ? SaddleNoiseControl.TUNING_SEEDS : c.seeds()];
        for (int k = 0; k < escape.length; k++) {
            long runSeed = tuning ? tuningSeed(c, k) : c.seed() + 1 + k;
            MultiLayerNetwork net = problem.network(cand.updater().apply(rate), c.initScale(), runSeed);
            if (cand.lossFeed()) {
                net.setListeners(new LossFeedListener(Recovery.failFast()));
            }
            escape[k] = escapeTime(net, problem.data(), c, runSeed, false);
            if (progress != null) {
                progress.accept("saddle " + (tuning ? "tuning " : "") + cand.name() + " lr=" + rate + " seed="
                        + runSeed);
            }
        }
        return new Escapes(cand.name(), rate, escape);
    }

    /**
     * @param fullBatch true: every update uses the whole data set (no gradient noise); false: mini-batches of
     *                  {@code c.batch()} examples drawn with replacement from a seeded stream
     * @return first checked iteration with loss &lt;= threshold * L(0), or Integer.MAX_VALUE
     */
    static int escapeTime(MultiLayerNetwork net, DataSet data, Config c, long seed, boolean fullBatch) {
        return escapeTime(net, data, c, seed, fullBatch, net::fit);
    }

    /**
     * {@link #escapeTime(MultiLayerNetwork, DataSet, Config, long, boolean)} with another update than
     * {@code net.fit}: the same mini-batch stream and the same escape test.
     *
     * @param update one training update of {@code net} on a mini-batch (a {@link NonFiniteValueException} = diverged)
     */
    static int escapeTime(MultiLayerNetwork net, DataSet data, Config c, long seed, boolean fullBatch,
                          java.util.function.Consumer<DataSet> update) {
        double target = c.threshold() * net.score(data);
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        int n = data.numExamples();
        for (int t = 1; t <= c.maxIterations(); t++) {
            DataSet mb = data;
            if (!fullBatch) {
                int[] rows = new int[c.batch()];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = rnd.nextInt(n);
                }
                mb = new DataSet(data.getFeatures().getRows(rows), data.getLabels().getRows(rows));
            }
            try {
                update.accept(mb);
            } catch (NonFiniteValueException e) {
                return Integer.MAX_VALUE;
            }
            if (t % c.evalEvery() == 0 || t == c.maxIterations()) {
                double loss = net.score(data);
                if (!Double.isFinite(loss)) {
                    return Integer.MAX_VALUE;
                }
                if (loss <= target) {
                    return t;
                }
            }
        }
        return Integer.MAX_VALUE;
    }
}
