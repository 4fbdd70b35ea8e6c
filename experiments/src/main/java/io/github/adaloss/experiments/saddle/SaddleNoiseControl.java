package io.github.adaloss.experiments.saddle;

import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.NonFiniteValueException;
import io.github.adaloss.updater.Recovery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.commons.math3.exception.MaxCountExceededException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Controls for {@link SaddleEscapeExperiment}: is the escape driven by gradient NOISE, the mechanism of Staib et
 * al. (arXiv 1901.09149), or by the deterministic gradient flow out of the starting point?
 *
 * <p>Two starting points on {@link SaddleProblem} ({@code f(x) = w2^T W1 x}, MSE {@code L = E (y - f)^2}):
 * <ul>
 * <li>"origin": the experiment's start {@code N(0, initScale^2)} next to the saddle at 0. There every per-example
 * gradient is bilinear in {@code (W1, w2)} ({@code dl_i/dW1 = -2 r_i w2 x_i^T}, {@code dl_i/dw2 = -2 r_i W1 x_i}),
 * so the noise VANISHES at the saddle and the escape is the deterministic growth of the initial offset along the
 * negative-curvature direction.</li>
 * <li>"noisy saddle": exactly at a strict saddle with non-vanishing noise: {@code w2 = 0} and the columns of W1
 * (DL4J layout {@code [d, h]}) drawn {@code N(0, 1/d)} and projected orthogonally to {@code c = X^T y / n}. The
 * full gradient is {@code dL/dW1 = 0} (as {@code w2 = 0}) and {@code dL/dw2 = -2 W1^T c = 0} (to rounding);
 * the Hessian couples {@code w2_j} with {@code W1[:, j]} along c with the block {@code -2 c}, so the quadratic form
 * {@code 2 beta^2 (W1^T Sigma W1)_jj - 4 alpha beta |c|} is negative for small {@code beta/alpha > 0}: a strict
 * saddle. The per-example gradients {@code dl_i/dw2 = -2 y_i W1^T x_i} are non-zero: mini-batch noise lives in
 * the w2 subspace, which overlaps the escape direction.</li>
 * </ul>
 * For each start and each optimizer, the escape time (first iteration with full-data loss at most
 * {@code threshold * L(0)}) is measured with mini-batch gradients (as in the experiment) and with FULL-batch
 * gradients (no noise). If the full-batch escape is as fast as the mini-batch one, noise plays no role.
 * Rates are chosen inside each run, never fixed in advance, by the rule of
 * {@link SaddleEscapeExperiment.Result#reliableBest} (most seeds escaped, then smallest median): at the origin over the
 * main experiment's tuning runs (its tuning seeds); at the noisy saddle over the main experiment's grid run on {@link #TUNING_SEEDS} tuning
 * seeds {@code seed + TUNING_OFFSET + k}, disjoint from the reported seeds {@code seed + 1 + k}.
 */
public final class SaddleNoiseControl {

    private static final Logger LOG = LoggerFactory.getLogger(SaddleNoiseControl.class);

    /** Seeds per (optimizer, rate) of the rate selection at the noisy saddle. */
    public static final int TUNING_SEEDS = 3;
    /** Tuning run k uses seed {@code config.seed() + TUNING_OFFSET + k}: disjoint from the reported seeds. */
    public static final long TUNING_OFFSET = 1_000_003;

    /**
     * Full-matrix AdaGrad ({@link FullMatrixPreconditioner#adaGrad}, eps {@value FullMatrixPreconditioner#DEFAULT_EPSILON}
     * as DL4J's diagonal AdaGrad): {@code G_t = sum g g^T}, the same accumulation as AdaGrad-Norm at b0 = 1e-6 (whose
     * {@code b_t^2} is {@code tr G_t}) and the same normalized first step {@code eta g / |g|}, but the noise's shape
     * whitened within its rank. Run at the noisy saddle only.
     */
    public static final String FULL_MATRIX_ADAGRAD = "full-matrix AdaGrad";
    /**
     * Full-matrix RMSProp ({@link FullMatrixPreconditioner#rmsProp}) with DL4J RmsProp's defaults, decay
     * {@value RmsProp#DEFAULT_RMSPROP_RMSDECAY} and eps {@value RmsProp#DEFAULT_RMSPROP_EPSILON}, the full-matrix
     * counterpart of the diagonal "RMSProp". Run at the noisy saddle only.
     */
    public static final String FULL_MATRIX_RMSPROP = "full-matrix RMSProp";
    /** The full-matrix methods, in report order (after {@link SaddleEscapeExperiment#OPTIMIZERS}). */
    public static final List<String> FULL_MATRIX = List.of(FULL_MATRIX_ADAGRAD, FULL_MATRIX_RMSPROP);

    /**
     * Escape times of one optimizer at one rate from one start.
     *
     * @param optimizer name
     * @param rate      learning rate
     * @param start     "origin" or "noisy saddle"
     * @param miniBatch escape iteration per seed with mini-batch gradients ({@code Integer.MAX_VALUE}: not escaped)
     * @param fullBatch escape iteration per seed with full-batch gradients
     */
    public record Row(String optimizer, double rate, String start, int[] miniBatch, int[] fullBatch) {

        /** @return lower median of the mini-batch escape times */
        public int miniMedian() {
            return median(miniBatch);
        }

        /** @return lower median of the full-batch escape times */
        public int fullMedian() {
            return median(fullBatch);
        }

        private static int median(int[] t) {
            int[] s = t.clone();
            Arrays.sort(s);
            return s[(s.length - 1) / 2];
        }
    }

    /**
     * @param rows             every (optimizer, start)
     * @param saddleLoss       full-data loss at the noisy saddle (first seed)
     * @param saddleGradient   full-gradient norm there (0 up to rounding)
     * @param saddleIsotropy   noise isotropy there (raw vs diagonally preconditioned)
     * @param tuning           the rate selection at the noisy saddle: every (optimizer, rate of its grid) with its
     *                         mini-batch escape times on the tuning seeds (not the reported ones)
     * @param fullMatrixIsotropy noise isotropy there after the ideal full-matrix preconditioner
     *                         ({@link NoiseIsotropy#fullMatrix}), the paper's object
     * @param noiseRank        numerical rank of the noise covariance there (bounds every preconditioned isotropy by
     *                         {@code noiseRank / P})
     */
    public record Result(List<Row> rows, double saddleLoss, double saddleGradient, NoiseIsotropy saddleIsotropy,
                         List<SaddleEscapeExperiment.Escapes> tuning, double fullMatrixIsotropy, int noiseRank) {

        /** @return the row of an optimizer from a start */
        public Row row(String optimizer, String start) {
            return rows.stream().filter(r -> r.optimizer().equals(optimizer) && r.start().equals(start)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(optimizer + " / " + start));
        }

        /** @return CSV {@code optimizer,rate,start,gradients,seed_index,escape_iteration} (empty = not escaped) */
        public String toCsv() {
            StringBuilder sb = new StringBuilder("optimizer,rate,start,gradients,seed_index,escape_iteration\n");
            for (Row r : rows) {
                for (String g : List.of("mini-batch", "full-batch")) {
                    int[] t = g.equals("mini-batch") ? r.miniBatch() : r.fullBatch();
                    for (int k = 0; k < t.length; k++) {
                        sb.append(r.optimizer()).append(',').append(r.rate()).append(',').append(r.start())
                                .append(',').append(g).append(',').append(k).append(',')
                                .append(t[k] == Integer.MAX_VALUE ? "" : Integer.toString(t[k])).append('\n');
                    }
                }
            }
            return sb.toString();
        }
    }

    private SaddleNoiseControl() {
    }

    /**
     * @return runs of {@link #run}, for a progress bar: the optimizers of {@link SaddleEscapeExperiment#OPTIMIZERS}
     *         x 2 starts x 2 gradient kinds x seeds, the {@link #FULL_MATRIX} methods x 2 gradient kinds x seeds
     *         (noisy saddle only), plus the rate selection (every rate of every grid x {@link #TUNING_SEEDS})
     */
    public static int runCount(SaddleEscapeExperiment.Config c) {
        int tuning = 0;
        for (String o : noisySaddleOptimizers()) {
            tuning += grid(o).length * TUNING_SEEDS;
        }
        return SaddleEscapeExperiment.OPTIMIZERS.size() * 4 * c.seeds() + FULL_MATRIX.size() * 2 * c.seeds() + tuning;
    }

    /** @return every optimizer run at the noisy saddle: {@link SaddleEscapeExperiment#OPTIMIZERS}, then {@link #FULL_MATRIX} */
    static List<String> noisySaddleOptimizers() {
        List<String> out = new ArrayList<>(SaddleEscapeExperiment.OPTIMIZERS);
        out.addAll(FULL_MATRIX);
        return List.copyOf(out);
    }

    /**
     * @param optimizer one of {@link #noisySaddleOptimizers()}
     * @return its rate grid: the main experiment's, or for the full-matrix methods that of their diagonal
     *         counterpart ({@link SaddleEscapeExperiment#ADAGRAD} / "RMSProp") extended by one larger rate, since a
     *         full-matrix step is normalized in every direction the gradients span and its divergence edge can lie
     *         higher
     */
    static double[] grid(String optimizer) {
        if (optimizer.equals(FULL_MATRIX_ADAGRAD)) {
            return FULL_MATRIX_ADAGRAD_GRID.clone();
        }
        if (optimizer.equals(FULL_MATRIX_RMSPROP)) {
            return FULL_MATRIX_RMSPROP_GRID.clone();
        }
        return SaddleEscapeExperiment.grid(optimizer);
    }

    private static final double[] FULL_MATRIX_ADAGRAD_GRID = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10};
    private static final double[] FULL_MATRIX_RMSPROP_GRID = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1};

    /** @return a fresh preconditioner of a {@link #FULL_MATRIX} method */
    static FullMatrixPreconditioner preconditioner(String optimizer) {
        if (optimizer.equals(FULL_MATRIX_ADAGRAD)) {
            return FullMatrixPreconditioner.adaGrad(FullMatrixPreconditioner.DEFAULT_EPSILON);
        }
        if (optimizer.equals(FULL_MATRIX_RMSPROP)) {
            return FullMatrixPreconditioner.rmsProp(RmsProp.DEFAULT_RMSPROP_RMSDECAY, RmsProp.DEFAULT_RMSPROP_EPSILON);
        }
        throw new IllegalArgumentException("optimizer: not a full-matrix method: " + optimizer);
    }

    /**
     * Escape time of one run of a {@link #FULL_MATRIX} method from the noisy saddle: the same mini-batch stream and
     * escape test as the DL4J optimizers ({@link SaddleEscapeExperiment#escapeTime}); each update takes DL4J's
     * gradient of the mini-batch loss (the flattened gradient, in the order of {@code params()}), preconditions it
     * by {@link FullMatrixPreconditioner#step} (one eigendecomposition per step, recomputed at every step) and sets
     * {@code params - eta A_t g}. A non-finite gradient or parameter counts as diverged, and so does an
     * eigendecomposition of G that does not converge (commons-math's QL iteration gives up; seen only at the top of
     * the full-matrix AdaGrad grid, where the iterates blow up: loss 1e120 to 1e172 at lr = 10 on seed 42's
     * tuning seeds; logged with the loss).
     */
    static int fullMatrixEscapeTime(SaddleProblem problem, String optimizer, double rate,
                                    SaddleEscapeExperiment.Config c, long seed, boolean fullBatch) {
        MultiLayerNetwork net = atNoisySaddle(problem, new Sgd(0.0), c.d(), c.h(), seed);
        FullMatrixPreconditioner pre = preconditioner(optimizer);
        int[] step = {0};
        return SaddleEscapeExperiment.escapeTime(net, problem.data(), c, seed, fullBatch, mb -> {
            step[0]++;
            try {
                fullMatrixUpdate(net, pre, rate, mb, step[0]);
            } catch (MaxCountExceededException e) {
                LOG.info("{} lr={} seed={}: eigendecomposition of G did not converge at step {} (loss {}), counted as "
                        + "diverged", optimizer, rate, seed, step[0], net.score());
                throw new NonFiniteValueException(step[0], optimizer + ": eigendecomposition of G did not converge");
            } catch (ArithmeticException e) {
                LOG.info("{} lr={} seed={}: {} at step {} (loss {}), counted as diverged", optimizer, rate, seed,
                        e.getMessage(), step[0], net.score());
                throw new NonFiniteValueException(step[0], optimizer + ": " + e.getMessage());
            }
        });
    }

    /**
     * One full-matrix update of {@code net} on a mini-batch: DL4J's gradient of the mini-batch loss (the flattened
     * gradient, laid out as {@code params()}), preconditioned by {@code pre}, then {@code params -= rate * A_t g}.
     * The network's own updater is not used.
     *
     * @param step the update's number, for the message of a {@link NonFiniteValueException}
     * @throws NonFiniteValueException if the gradient or a new parameter is not finite (parameters unchanged)
     * @throws MaxCountExceededException if the eigendecomposition of G does not converge (parameters unchanged)
     * @throws ArithmeticException if G would overflow (parameters and G unchanged)
     */
    static void fullMatrixUpdate(MultiLayerNetwork net, FullMatrixPreconditioner pre, double rate, DataSet mb,
                                 int step) {
        net.setInput(mb.getFeatures());
        net.setLabels(mb.getLabels());
        net.computeGradientAndScore();
        double[] g = net.gradient().gradient().toDoubleVector();
        for (double v : g) {
            if (!Double.isFinite(v)) {
                throw new NonFiniteValueException(step, "full-matrix update: non-finite gradient");
            }
        }
        double[] a = pre.step(g);
        double[] p = net.params().toDoubleVector();
        for (int k = 0; k < p.length; k++) {
            p[k] -= rate * a[k];
            if (!Double.isFinite(p[k])) {
                throw new NonFiniteValueException(step, "full-matrix update: non-finite parameter " + k);
            }
        }
        net.setParams(Nd4j.createFromArray(p).reshape(1, p.length));
    }

    /**
     * Picks each optimizer's rate at the noisy saddle: every rate of its grid, mini-batch gradients, on the tuning
     * seeds {@code c.seed() + TUNING_OFFSET + k}, {@code k < TUNING_SEEDS}.
     *
     * @return one entry per (optimizer, rate), in {@link #noisySaddleOptimizers()} and grid order
     */
    static List<SaddleEscapeExperiment.Escapes> tune(SaddleProblem problem, SaddleEscapeExperiment.Config c,
                                                     Consumer<String> progress) {
        List<SaddleEscapeExperiment.Escapes> out = new ArrayList<>();
        for (String o : noisySaddleOptimizers()) {
            for (double rate : grid(o)) {
                int[] t = new int[TUNING_SEEDS];
                for (int k = 0; k < TUNING_SEEDS; k++) {
                    long seed = c.seed() + TUNING_OFFSET + k;
                    if (FULL_MATRIX.contains(o)) {
                        t[k] = fullMatrixEscapeTime(problem, o, rate, c, seed, false);
                    } else {
                        MultiLayerNetwork net = atNoisySaddle(problem, SaddleEscapeExperiment.updater(o, rate), c.d(),
                                c.h(), seed);
                        if (SaddleEscapeExperiment.needsLossFeed(o)) {
                            net.setListeners(new LossFeedListener());
                        }
                        t[k] = SaddleEscapeExperiment.escapeTime(net, problem.data(), c, seed, false);
                    }
                    if (progress != null) {
                        progress.accept(String.format(Locale.ROOT, "saddle control rate selection %s lr=%s seed=%d: %s",
                                o, rate, seed, SaddleClaims.show(t[k])));
                    }
                }
                out.add(new SaddleEscapeExperiment.Escapes(o, rate, t));
            }
        }
        return List.copyOf(out);
    }

    /** @return the selected rate of one optimizer: {@link SaddleEscapeExperiment.Result#reliableBest} rule */
    static double selected(List<SaddleEscapeExperiment.Escapes> tuning, String optimizer) {
        return SaddleEscapeExperiment.reliable(tuning, optimizer).rate();
    }

    /**
     * @param main     the main experiment (its config and best rates)
     * @param progress called once per run (may be null)
     * @return the controls
     */
    public static Result run(SaddleEscapeExperiment.Result main, Consumer<String> progress) {
        SaddleEscapeExperiment.Config c = main.config();
        SaddleProblem problem = new SaddleProblem(c.n(), c.d(), c.h(), c.inputSpread(), c.seed());
        DataSet data = problem.data();
        List<SaddleEscapeExperiment.Escapes> tuning = tune(problem, c, progress);
        List<Row> rows = new ArrayList<>();
        for (String start : List.of("origin", "noisy saddle")) {
            for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
                double rate = start.equals("origin") ? main.reliableBest(o).rate() : selected(tuning, o);
                int[][] t = new int[2][c.seeds()];
                for (int g = 0; g < 2; g++) {
                    for (int k = 0; k < c.seeds(); k++) {
                        long seed = c.seed() + 1 + k;
                        MultiLayerNetwork net = start.equals("origin")
                                ? problem.network(SaddleEscapeExperiment.updater(o, rate), c.initScale(), seed)
                                : atNoisySaddle(problem, SaddleEscapeExperiment.updater(o, rate), c.d(), c.h(), seed);
                        if (SaddleEscapeExperiment.needsLossFeed(o)) {
                            net.setListeners(new LossFeedListener(Recovery.failFast()));
                        }
                        t[g][k] = SaddleEscapeExperiment.escapeTime(net, data, c, seed, g == 1);
                        if (progress != null) {
                            progress.accept(String.format(Locale.ROOT, "saddle control %s %s lr=%s %s seed=%d: %s",
                                    start, o, rate, g == 0 ? "mini-batch" : "full-batch", seed,
                                    SaddleClaims.show(t[g][k])));
                        }
                    }
                }
                rows.add(new Row(o, rate, start, t[0], t[1]));
            }
        }
        for (String o : FULL_MATRIX) {
            double rate = selected(tuning, o);
            int[][] t = new int[2][c.seeds()];
            for (int g = 0; g < 2; g++) {
                for (int k = 0; k < c.seeds(); k++) {
                    long seed = c.seed() + 1 + k;
                    t[g][k] = fullMatrixEscapeTime(problem, o, rate, c, seed, g == 1);
                    if (progress != null) {
                        progress.accept(String.format(Locale.ROOT, "saddle control noisy saddle %s lr=%s %s seed=%d: %s",
                                o, rate, g == 0 ? "mini-batch" : "full-batch", seed, SaddleClaims.show(t[g][k])));
                    }
                }
            }
            rows.add(new Row(o, rate, "noisy saddle", t[0], t[1]));
        }
        MultiLayerNetwork at = atNoisySaddle(problem, new Sgd(0.0), c.d(), c.h(), c.seed() + 1);
        double loss = at.score(data);
        at.setInput(data.getFeatures());
        at.setLabels(data.getLabels());
        at.computeGradientAndScore();
        double grad = at.gradient().gradient().norm2Number().doubleValue();
        at.clear();
        double[][] perExample = NoiseIsotropy.perExampleGradients(at, data);
        NoiseIsotropy iso = NoiseIsotropy.of(perExample);
        double full = NoiseIsotropy.fullMatrix(perExample);
        int rank = NoiseIsotropy.covarianceRank(perExample);
        LOG.info("noisy saddle: loss {}, full-gradient norm {}, isotropy {}, full-matrix {}, noise rank {}", loss, grad,
                iso, full, rank);
        return new Result(List.copyOf(rows), loss, grad, iso, tuning, full, rank);
    }

    /**
     * @return a network exactly at the noisy strict saddle: {@code w2 = 0}, W1 columns {@code N(0, 1/d)} projected
     *         orthogonally to {@code c = X^T y / n}
     */
    public static MultiLayerNetwork atNoisySaddle(SaddleProblem problem, IUpdater updater, int d, int h, long seed) {
        MultiLayerNetwork net = problem.network(updater, 1.0, seed);
        INDArray x = problem.data().getFeatures();
        INDArray c = x.transpose().mmul(problem.data().getLabels()).divi(x.rows());
        INDArray u = c.div(c.norm2Number());
        Random rnd = new Random(seed * 31 + 7);
        double[][] w = new double[d][h];
        for (double[] row : w) {
            for (int j = 0; j < h; j++) {
                row[j] = rnd.nextGaussian() / Math.sqrt(d);
            }
        }
        INDArray w1 = Nd4j.createFromArray(w);
        w1.subi(u.mmul(u.transpose().mmul(w1)));
        net.getLayer(0).setParam("W", w1);
        net.getLayer(1).setParam("W", Nd4j.zeros(DataType.DOUBLE, h, 1));
        return net;
    }

    /**
     * @return seven entries, in this order: (0) the origin comparison is NOT noise-driven (full-batch escapes at most
     *         2 iterations after mini-batch for every optimizer; a caveat when true, a failing claim otherwise); (1) at
     *         the noisy saddle noise speeds up SGD (full-batch median at least twice the mini-batch one); (2) there
     *         RMSProp and Adam escape faster than SGD (mini-batch medians); (3) diagonal AdaGrad escapes faster than
     *         AdaGrad-Norm at b0 = 1e-6 (isotropy apart from normalization, diagonal); (4) a caveat measuring step
     *         normalization alone; (5) full-matrix AdaGrad escapes faster than AdaGrad-Norm at b0 = 1e-6 (mini-batch
     *         medians, the paper's full-matrix object apart from normalization), stated before its first run; (6) a
     *         caveat on the same pair with full-batch gradients: if full-matrix AdaGrad wins without noise as well,
     *         its gain is not (only) the noise mechanism
     */
    public static List<Claim> claims(Result r) {
        List<Claim> out = new ArrayList<>();
        StringBuilder ev = new StringBuilder();
        boolean same = true;
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            Row row = r.row(o, "origin");
            same &= (long) row.fullMedian() <= (long) row.miniMedian() + 2;
            ev.append(ev.length() == 0 ? "" : ", ").append(o).append(' ').append(SaddleClaims.show(row.miniMedian()))
                    .append(" vs ").append(SaddleClaims.show(row.fullMedian()));
        }
        String caveat = "caveat: from the origin start noise does not drive the escape (full-batch gradients, "
                + "no noise, escape at most 2 iterations later than mini-batch ones for every optimizer), so that "
                + "comparison does not test the noise mechanism";
        out.add(same ? Claim.paperCaveat(caveat, java.util.Map.of("median mini-batch vs full-batch", ev.toString()))
                : Claim.paper(caveat, false, "median mini-batch vs full-batch: " + ev));
        Row sgd = r.row("SGD", "noisy saddle");
        out.add(Claim.paper("at a strict saddle with non-vanishing noise, mini-batch noise speeds up SGD's escape "
                + "(full-batch median at least 2x the mini-batch median)",
                sgd.fullMedian() != Integer.MAX_VALUE ? sgd.fullMedian() >= 2L * sgd.miniMedian()
                        : sgd.miniMedian() != Integer.MAX_VALUE,
                String.format(Locale.ROOT, "SGD lr=%s: mini-batch %s, full-batch %s", sgd.rate(),
                        SaddleClaims.show(sgd.miniMedian()), SaddleClaims.show(sgd.fullMedian()))));
        StringBuilder ev2 = new StringBuilder("mini-batch median (full-batch): ");
        boolean faster = true;
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            Row row = r.row(o, "noisy saddle");
            if (o.equals("RMSProp") || o.equals("Adam")) {
                faster &= row.miniMedian() < sgd.miniMedian();
            }
            ev2.append(o).append(' ').append(SaddleClaims.show(row.miniMedian())).append(" (")
                    .append(SaddleClaims.show(row.fullMedian())).append("), ");
        }
        ev2.append(String.format(Locale.ROOT, "isotropy at the saddle raw %.4f, preconditioned %.4f; rates chosen on "
                + "%d tuning seeds disjoint from the reported ones: ", r.saddleIsotropy().raw(),
                r.saddleIsotropy().preconditioned(), TUNING_SEEDS));
        List<String> rates = new ArrayList<>();
        for (String o : SaddleEscapeExperiment.OPTIMIZERS) {
            rates.add(o + " " + r.row(o, "noisy saddle").rate());
        }
        ev2.append(String.join(", ", rates));
        out.add(Claim.paper("at a strict saddle with non-vanishing noise, RMSProp and Adam escape faster than SGD",
                faster, ev2.toString()));
        Row diag = r.row(SaddleEscapeExperiment.ADAGRAD, "noisy saddle");
        Row scalar = r.row(SaddleEscapeExperiment.ADAGRAD_NORM_NORMALIZED, "noisy saddle");
        String pair = String.format(Locale.ROOT, "mini-batch median (full-batch): AdaGrad lr=%s %s (%s), "
                + "AdaGrad-Norm b0=1e-6 eta=%s %s (%s), SGD lr=%s %s (%s); noise isotropy at the saddle raw %.4f, "
                + "diagonally preconditioned %.4f, full-matrix preconditioned %.4f (ceiling rank(C)/P = %d/%d = %.4f; "
                + "escape times of a full-matrix method not measured)", diag.rate(), SaddleClaims.show(diag.miniMedian()),
                SaddleClaims.show(diag.fullMedian()), scalar.rate(), SaddleClaims.show(scalar.miniMedian()),
                SaddleClaims.show(scalar.fullMedian()), sgd.rate(), SaddleClaims.show(sgd.miniMedian()),
                SaddleClaims.show(sgd.fullMedian()), r.saddleIsotropy().raw(), r.saddleIsotropy().preconditioned(),
                r.fullMatrixIsotropy(), r.noiseRank(), r.saddleIsotropy().parameters(),
                (double) r.noiseRank() / r.saddleIsotropy().parameters());
        out.add(Claim.paper("isotropy apart from step normalization: at the noisy strict saddle (full gradient 0 up "
                + "to rounding), diagonal AdaGrad escapes faster than AdaGrad-Norm with b0 = 1e-6, the same "
                + "accumulation and the same normalized first step over the whole gradient, which leaves the noise's "
                + "shape unchanged (each at its rate from the tuning seeds)",
                (long) diag.miniMedian() < scalar.miniMedian(), pair));
        Map<String, Object> norm = new LinkedHashMap<>();
        norm.put("detail", pair);
        norm.put("normalized scalar vs SGD (mini-batch medians)", SaddleClaims.show(scalar.miniMedian()) + " vs "
                + SaddleClaims.show(sgd.miniMedian()));
        out.add(Claim.paperCaveat("measured, not a claim of the paper: the effect of step normalization alone at the "
                + "noisy saddle is AdaGrad-Norm (b0 = 1e-6, scalar, noise shape unchanged) against SGD; the passes of "
                + "the diagonal methods against SGD combine it with the isotropy effect", norm));
        Row full = r.row(FULL_MATRIX_ADAGRAD, "noisy saddle");
        Row fullRms = r.row(FULL_MATRIX_RMSPROP, "noisy saddle");
        Row rms = r.row("RMSProp", "noisy saddle");
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("mini-batch medians: full-matrix AdaGrad vs AdaGrad-Norm b0=1e-6", SaddleClaims.show(full.miniMedian())
                + " vs " + SaddleClaims.show(scalar.miniMedian()));
        fm.put("full-batch medians (no noise): full-matrix AdaGrad vs AdaGrad-Norm b0=1e-6",
                SaddleClaims.show(full.fullMedian()) + " vs " + SaddleClaims.show(scalar.fullMedian()));
        fm.put("rates (chosen on " + TUNING_SEEDS + " tuning seeds)", "full-matrix AdaGrad " + full.rate()
                + ", AdaGrad-Norm b0=1e-6 " + scalar.rate() + ", diagonal AdaGrad " + diag.rate()
                + ", full-matrix RMSProp " + fullRms.rate() + ", RMSProp " + rms.rate());
        fm.put("seeds escaped (mini-batch): full-matrix AdaGrad, AdaGrad-Norm b0=1e-6", escaped(full.miniBatch())
                + "/" + full.miniBatch().length + ", " + escaped(scalar.miniBatch()) + "/" + scalar.miniBatch().length);
        fm.put("for comparison, mini-batch (full-batch) medians", String.format(Locale.ROOT,
                "diagonal AdaGrad %s (%s), full-matrix RMSProp %s (%s), RMSProp %s (%s), SGD %s (%s)",
                SaddleClaims.show(diag.miniMedian()), SaddleClaims.show(diag.fullMedian()),
                SaddleClaims.show(fullRms.miniMedian()), SaddleClaims.show(fullRms.fullMedian()),
                SaddleClaims.show(rms.miniMedian()), SaddleClaims.show(rms.fullMedian()),
                SaddleClaims.show(sgd.miniMedian()), SaddleClaims.show(sgd.fullMedian())));
        fm.put("noise isotropy at the saddle: raw, diagonal, ideal full-matrix (ceiling rank/P)", String.format(
                Locale.ROOT, "%.4f, %.4f, %.4f (%d/%d)", r.saddleIsotropy().raw(), r.saddleIsotropy().preconditioned(),
                r.fullMatrixIsotropy(), r.noiseRank(), r.saddleIsotropy().parameters()));
        out.add(Claim.paper("the paper's full-matrix preconditioner apart from step normalization: at the noisy "
                + "strict saddle, full-matrix AdaGrad (step eta (G_t^{1/2} + eps I)^{-1} g, G_t = sum g g^T) escapes "
                + "faster (mini-batch median, reported seeds) than AdaGrad-Norm with b0 = 1e-6, the same accumulation "
                + "(b_t^2 = tr G_t) and the same normalized first step, which leaves the noise's shape unchanged (each "
                + "at its rate from the tuning seeds)", (long) full.miniMedian() < scalar.miniMedian(), fm));
        boolean noiseless = (long) full.fullMedian() < scalar.fullMedian();
        Map<String, Object> fb = new LinkedHashMap<>();
        fb.put("full-batch medians: full-matrix AdaGrad vs AdaGrad-Norm b0=1e-6", SaddleClaims.show(full.fullMedian())
                + " vs " + SaddleClaims.show(scalar.fullMedian()));
        fb.put("mini-batch medians: full-matrix AdaGrad vs AdaGrad-Norm b0=1e-6", SaddleClaims.show(full.miniMedian())
                + " vs " + SaddleClaims.show(scalar.miniMedian()));
        out.add(Claim.paperCaveat(noiseless
                ? "caveat: without noise (full-batch gradients) full-matrix AdaGrad also escapes the noisy saddle "
                + "before AdaGrad-Norm with b0 = 1e-6, so a mini-batch gain of full-matrix AdaGrad over it is not "
                + "(only) the noise-isotropy mechanism"
                : "measured: without noise (full-batch gradients) full-matrix AdaGrad does not escape the noisy saddle "
                + "before AdaGrad-Norm with b0 = 1e-6, so a mini-batch gain of full-matrix AdaGrad over it needs the "
                + "noise", fb));
        return out;
    }

    private static int escaped(int[] t) {
        return (int) Arrays.stream(t).filter(x -> x != Integer.MAX_VALUE).count();
    }

    /** @return the section of summary.json */
    public static Map<String, Object> json(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Row row : r.rows()) {
            m.put(row.start() + " " + row.optimizer(), Map.of("rate", row.rate(),
                    "miniBatchMedian", row.miniMedian() == Integer.MAX_VALUE ? -1 : row.miniMedian(),
                    "fullBatchMedian", row.fullMedian() == Integer.MAX_VALUE ? -1 : row.fullMedian()));
        }
        m.put("saddleLoss", r.saddleLoss());
        m.put("saddleGradientNorm", r.saddleGradient());
        m.put("saddleIsotropyRaw", r.saddleIsotropy().raw());
        m.put("saddleIsotropyPreconditioned", r.saddleIsotropy().preconditioned());
        m.put("saddleIsotropyFullMatrix", r.fullMatrixIsotropy());
        m.put("saddleNoiseRank", r.noiseRank());
        return m;
    }
}
