package io.github.adaloss.ntk.listener;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.LanczosSpectrum;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the empirical NTK Gram matrix {@code H(t)} of a fixed probe set while {@code fit} runs, and its spectrum.
 *
 * <p>A snapshot ({@link NtkSnapshot}) is taken in {@code onGradientCalculation} every {@code everyIterations}
 * iterations (the parameters are then {@code w(t)}, before the update, and {@code model.score()} is the loss at
 * {@code w(t)}), and/or at every epoch end (only {@code fit(DataSetIterator)} has epochs in DL4J). {@code H(0)} and
 * the first-layer weights and activation patterns of reference are taken at the listener's first
 * {@code onGradientCalculation}, so attach it before training. Snapshots go to {@link #history()}, the log (INFO),
 * and optionally a CSV file (appended per snapshot) and a JSON file (rewritten per snapshot, eigenvalues
 * included).
 *
 * <p>The kernel comes from {@link EmpiricalNtk} (AUTO: the dense path, else the structured convolutional path, else
 * the generic per-example path). The listener only reads the network:
 * it never calls {@code computeGradientAndScore} on it and draws no random numbers, so training with and without
 * it gives bit-identical parameters. Cost per snapshot: one NTK on the probe set plus an O(n^3) eigen-decomposition
 * (see {@link #DEFAULT_EVERY_ITERATIONS} for the measured cost). The first-layer movement and
 * pattern flips (networks that start with a dense layer, 2-d probe) are computed in the network's data type.
 * Not thread-safe and not Serializable: attach one instance to one network.
 *
 * <p>Never breaks training. DL4J has no callback when a listener is attached ({@code setListeners} /
 * {@code addListeners} only store it; {@code TrainingListener} starts at the first forward pass), so the listener
 * checks the network at the earliest point it can:
 * <ul>
 *   <li>at build time, when given the network ({@link Builder#network}): {@link Builder#build()} computes the
 *       kernel of the probe once and throws an {@link IllegalArgumentException} with the reason (an unsupported
 *       layer, a probe that does not fit the network, the generic path's memory budget) before any training; this is
 *       the recommended use;</li>
 *   <li>otherwise at the first {@code onGradientCalculation}, i.e. after the first gradient and before the first
 *       update: if the kernel cannot be computed there, the listener logs the reason (ERROR), records it
 *       ({@link #refusal()}) and stays inert; training goes on unchanged.</li>
 * </ul>
 * A snapshot that fails later (for instance a file that cannot be written, or the memory budget for a network
 * whose kernel path changed) is handled the same way: logged, recorded, no exception from {@code fit}. Callbacks
 * from a second network are ignored with a warning. The generic path's memory budget is set with
 * {@link Builder#memoryBudgetBytes} (default: EmpiricalNtk's, a quarter of the JVM's max heap).
 *
 * <p>Step size against the stability edge: the listener does not know the optimizer. If a step-size function is
 * given ({@link Builder#stepSize}), each snapshot records its value next to {@code 2 / (c lambda_max)}; for example
 * with the AdaLoss updaters of {@code dl4j-adaloss}, pass that module's read-back of the step of the last update.
 */
public final class NtkSpectrumListener extends BaseTrainingListener {

    private static final Logger log = LoggerFactory.getLogger(NtkSpectrumListener.class);

    /**
     * Default snapshot interval. Measured (docs/benchmarks-ntk.md, one thread, CPU time): a snapshot costs about
     * 4-4.6 training iterations of the 784-1024-1024-10 MLP with a 256-example probe and 1.5-2 of DL4J's LeNet with
     * a 64-image probe, so every 100 iterations adds under 5% to training (every 10: ten times that).
     */
    public static final int DEFAULT_EVERY_ITERATIONS = 100;

    /**
     * Probe sizes above this get the extremes of the spectrum from {@link LanczosSpectrum} (lambda_min,
     * lambda_max and the top {@link #LANCZOS_TOP_K}, relative residual 1e-8, at most {@link #LANCZOS_ITERATIONS}
     * steps) instead of LAPACK's dense eigendecomposition of all n eigenvalues (O(n^3): about 2 s at n = 2000 and
     * 8 times that per doubling).
     */
    public static final int LANCZOS_THRESHOLD = 2000;

    /** Largest eigenvalues a Lanczos snapshot records. */
    public static final int LANCZOS_TOP_K = 10;

    /** Lanczos steps at most per snapshot. */
    public static final int LANCZOS_ITERATIONS = 600;

    private final INDArray probe;
    private final int everyIterations;
    private final boolean atEpochEnd;
    private final double lossCurvatureScale;
    private final EmpiricalNtk.Method method;
    private final Path csvFile;
    private final Path jsonFile;
    private final ToDoubleFunction<Model> stepSize;
    private final long memoryBudgetBytes;
    private final int output;
    private final List<NtkSnapshot> history = new ArrayList<>();
    private String refusal;
    private boolean warnedOtherNetwork;

    private Model boundTo;
    private EmpiricalNtk ntk;
    private INDArray gram0;
    private INDArray firstLayer0;
    private INDArray patterns0;

    private NtkSpectrumListener(Builder b) {
        this.probe = b.probe.dup();
        this.everyIterations = b.everyIterations;
        this.atEpochEnd = b.atEpochEnd;
        this.lossCurvatureScale = b.lossCurvatureScale;
        this.method = b.method;
        this.csvFile = b.csvFile;
        this.jsonFile = b.jsonFile;
        this.stepSize = b.stepSize;
        this.memoryBudgetBytes = b.memoryBudgetBytes;
        this.output = b.output;
        if (b.network != null) {
            try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                EmpiricalNtk check = kernelFor(b.network);
                check.compute(probe);
                this.boundTo = b.network;
                this.ntk = check;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("NtkSpectrumListener cannot serve this network: " + reason(e), e);
            }
        }
    }

    private EmpiricalNtk kernelFor(Model model) {
        EmpiricalNtk.Builder b = EmpiricalNtk.builder(model).method(method);
        if (memoryBudgetBytes > 0) {
            b.memoryBudgetBytes(memoryBudgetBytes);
        }
        if (output >= 0) {
            b.output(output);
        }
        return b.build();
    }

    private static String reason(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * @param probe the fixed probe inputs [n, ...], n &gt;= 1, finite
     * @return a builder
     */
    public static Builder builder(INDArray probe) {
        return new Builder(probe);
    }

    /** @return the number of examples in the probe set (its first dimension) */
    public int probeSize() {
        return (int) probe.size(0);
    }

    /**
     * @return why the listener stopped or never started taking snapshots (it logged the same at ERROR), or null
     *         while it serves its network
     */
    public String refusal() {
        return refusal;
    }

    /** @return the snapshots so far, oldest first (a read-only view) */
    public List<NtkSnapshot> history() {
        return Collections.unmodifiableList(history);
    }

    @Override
    public void onGradientCalculation(Model model) {
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (!bind(model)) {
                return;
            }
            int iteration = iterationCount(model);
            if (everyIterations > 0 && iteration % everyIterations == 0) {
                snapshot(model, iteration, model.score());
            }
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        if (!atEpochEnd) {
            return;
        }
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (bind(model)) {
                snapshot(model, iterationCount(model), model.score());
            }
        }
    }

    /** @return true if the listener serves {@code model}; false (logged once) if it refused it or another one */
    private boolean bind(Model model) {
        if (refusal != null) {
            return false;
        }
        if (boundTo != null && boundTo != model) {
            if (!warnedOtherNetwork) {
                warnedOtherNetwork = true;
                log.warn("NtkSpectrumListener is bound to another network; ignoring this one (use one listener per "
                        + "network)");
            }
            return false;
        }
        if (gram0 != null) {
            return true;
        }
        try {
            if (ntk == null) {
                ntk = kernelFor(model);
            }
            gram0 = ntk.compute(probe).detach();
            boundTo = model;
            INDArray w = firstLayerWeights(model);
            if (w != null) {
                firstLayer0 = w.dup().detach();
                patterns0 = patterns(firstLayer0);
            }
            return true;
        } catch (RuntimeException e) {
            refuse("cannot serve this network: " + reason(e));
            return false;
        }
    }

    private void refuse(String why) {
        refusal = why;
        log.error("NtkSpectrumListener {}; no (further) NTK snapshots, training continues", why);
    }

    private void snapshot(Model model, int iteration, double loss) {
        try {
            takeSnapshot(model, iteration, loss);
        } catch (RuntimeException e) {
            refuse("snapshot at iteration " + iteration + " failed: " + reason(e));
        }
    }

    private void takeSnapshot(Model model, int iteration, double loss) {
        INDArray gram = ntk.compute(probe);
        double[] eigenvalues;
        double lambdaMin;
        double lambdaMax;
        double trace;
        if (gram.rows() > LANCZOS_THRESHOLD) {
            LanczosSpectrum l = LanczosSpectrum.of(gram, LANCZOS_TOP_K, LANCZOS_ITERATIONS, 1e-8, iteration);
            if (!l.converged()) {
                log.warn("NTK at iteration {}: Lanczos not converged after {} steps (residuals {} at lambda_min, {} "
                        + "at lambda_max)", iteration, l.iterations(), l.residualMin(), l.residualMax());
            }
            eigenvalues = new double[l.top().length + 1];
            eigenvalues[0] = l.lambdaMin();
            for (int i = 0; i < l.top().length; i++) {
                eigenvalues[eigenvalues.length - 1 - i] = l.top()[i];
            }
            lambdaMin = l.lambdaMin();
            lambdaMax = l.lambdaMax();
            trace = org.nd4j.linalg.factory.Nd4j.diag(gram).sumNumber().doubleValue();
        } else {
            NtkSpectrum spectrum = NtkSpectrum.of(gram);
            eigenvalues = spectrum.eigenvalues();
            lambdaMin = spectrum.lambdaMin();
            lambdaMax = spectrum.lambdaMax();
            trace = spectrum.trace();
        }
        double condition = lambdaMin > 0 ? lambdaMax / lambdaMin : Double.POSITIVE_INFINITY;
        double drift = gram.sub(gram0).norm2Number().doubleValue() / gram0.norm2Number().doubleValue();
        double movement = Double.NaN;
        double flips = Double.NaN;
        INDArray w = firstLayerWeights(model);
        if (w != null && firstLayer0 != null) {
            movement = w.sub(firstLayer0).norm2(0).maxNumber().doubleValue();
            flips = patterns(w).neq(patterns0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        }
        double step = stepSize == null ? Double.NaN : stepSize.applyAsDouble(model);
        NtkSnapshot s = new NtkSnapshot(iteration, epochCount(model), loss, eigenvalues, lambdaMin, lambdaMax,
                condition, trace, drift, movement, flips, step, 2 / (lossCurvatureScale * lambdaMax));
        history.add(s);
        log.info("NTK at iteration {}: lambda_min={}, lambda_max={}, drift={}, loss={}", iteration,
                s.lambdaMin(), s.lambdaMax(), s.kernelDrift(), loss);
        write(s);
    }

    /** First-layer weights [d, m] when the probe is 2-d and the network starts with a dense layer. */
    private INDArray firstLayerWeights(Model model) {
        if (probe.rank() != 2 || !(model instanceof MultiLayerNetwork mln)) {
            return null;
        }
        org.deeplearning4j.nn.api.Layer l0 = mln.getLayer(0);
        if (l0 instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer && l0.paramTable().containsKey("W")
                && l0.getParam("W").rows() == probe.columns()) {
            return l0.getParam("W");
        }
        return null;
    }

    /** Activation patterns {@code 1[x_i . w_r >= 0]} of the probe, in the network's data type. */
    private INDArray patterns(INDArray w) {
        return probe.castTo(w.dataType()).mmul(w).gte(0);
    }

    private void write(NtkSnapshot s) {
        try {
            if (csvFile != null) {
                boolean header = !Files.exists(csvFile) || Files.size(csvFile) == 0;
                String text = (header ? NtkSnapshot.CSV_HEADER + "\n" : "") + s.csvRow() + "\n";
                Files.writeString(csvFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            if (jsonFile != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(), history);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot file: " + e.getMessage(), e);
        }
    }

    private static int iterationCount(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getIterationCount() : ((ComputationGraph) model).getIterationCount();
    }

    private static int epochCount(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getEpochCount() : ((ComputationGraph) model).getEpochCount();
    }

    /** Builder of an {@link NtkSpectrumListener}. */
    public static final class Builder {
        private final INDArray probe;
        private int everyIterations = DEFAULT_EVERY_ITERATIONS;
        private boolean atEpochEnd = true;
        private double lossCurvatureScale = 1.0;
        private EmpiricalNtk.Method method = EmpiricalNtk.Method.AUTO;
        private Path csvFile;
        private Path jsonFile;
        private ToDoubleFunction<Model> stepSize;
        private Model network;
        private long memoryBudgetBytes = -1;
        private int output = -1;

        private Builder(INDArray probe) {
            if (probe == null || probe.rank() < 2 || probe.size(0) == 0) {
                throw new IllegalArgumentException("probe must be a non-empty array [n, ...], got "
                        + (probe == null ? "null" : java.util.Arrays.toString(probe.shape())));
            }
            if (!Double.isFinite(probe.sumNumber().doubleValue())) {
                throw new IllegalArgumentException("probe has NaN or infinite values");
            }
            this.probe = probe;
        }

        /**
         * @param n snapshot every n iterations (0: never; default {@value NtkSpectrumListener#DEFAULT_EVERY_ITERATIONS})
         * @return this
         */
        public Builder everyIterations(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("everyIterations must be >= 0, got " + n);
            }
            this.everyIterations = n;
            return this;
        }

        /** @param value snapshot at every epoch end (default true) @return this */
        public Builder atEpochEnd(boolean value) {
            this.atEpochEnd = value;
            return this;
        }

        /**
         * @param c the factor between the objective's Gauss-Newton curvature and {@code J^T J} (default 1, right
         *          for {@code 1/2 sum_i (f_i - y_i)^2}, the TwoLayerNetwork objective; for DL4J's MSE averaged over
         *          a batch of n with k outputs it is 2 / (n k))
         * @return this
         */
        public Builder lossCurvatureScale(double c) {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("lossCurvatureScale must be positive and finite, got " + c);
            }
            this.lossCurvatureScale = c;
            return this;
        }

        /** @param value NTK implementation (default AUTO) @return this */
        public Builder method(EmpiricalNtk.Method value) {
            if (value == null) {
                throw new IllegalArgumentException("method must not be null");
            }
            this.method = value;
            return this;
        }

        /**
         * @param f the step size to compare with the stability edge {@code 2 / (c lambda_max)}, evaluated on the
         *          network at each snapshot, in {@code onGradientCalculation} before this iteration's update (for
         *          instance the optimizer's read-back of the step of its last update, {@code eta / b_t}); null
         *          (default): the snapshots record NaN
         * @return this
         */
        public Builder stepSize(ToDoubleFunction<Model> f) {
            this.stepSize = f;
            return this;
        }

        /** @param file CSV file to append snapshots to (scalars only) @return this */
        public Builder csvFile(Path file) {
            this.csvFile = file;
            return this;
        }

        /** @param file JSON file rewritten with the whole history at each snapshot @return this */
        public Builder jsonFile(Path file) {
            this.jsonFile = file;
            return this;
        }

        /**
         * The network the listener will be attached to: {@link #build()} then checks that the kernel of the probe
         * can be computed for it and throws an {@link IllegalArgumentException} with the reason if not (so a
         * network the listener cannot serve is refused before training, never during {@code fit}). Costs one
         * kernel computation at build time; {@code H(0)} is still taken at the first training iteration.
         *
         * @param net the MultiLayerNetwork or ComputationGraph to be trained
         * @return this
         */
        public Builder network(Model net) {
            if (!(net instanceof MultiLayerNetwork || net instanceof ComputationGraph)) {
                throw new IllegalArgumentException("network must be a MultiLayerNetwork or ComputationGraph, got "
                        + (net == null ? "null" : net.getClass().getName()));
            }
            this.network = net;
            return this;
        }

        /**
         * The kernel of one output instead of the trace over all of them ({@link EmpiricalNtk.Builder#output}): for
         * networks with many outputs per example, e.g. a segmentation map (UNet: 256 per 16 x 16 image, whose trace
         * kernel costs a batched backward pass of 256 rows per example) or every step of a sequence.
         *
         * @param c the output (0-based; for a [C, H, W] or [units, T] output, its flat C-order index)
         * @return this
         */
        public Builder output(int c) {
            if (c < 0) {
                throw new IllegalArgumentException("output must be non-negative, got " + c);
            }
            this.output = c;
            return this;
        }

        /**
         * @param bytes working memory of the kernel: the generic per-example path's Jacobian tiles and the structured
         *              convolutional path's tiles of examples (see {@link EmpiricalNtk.Builder#memoryBudgetBytes};
         *              default a quarter of the JVM's max memory)
         * @return this
         */
        public Builder memoryBudgetBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memoryBudgetBytes must be positive, got " + bytes);
            }
            this.memoryBudgetBytes = bytes;
            return this;
        }

        /**
         * @return the listener
         * @throws IllegalArgumentException if {@link #network} was given and the listener cannot serve it (the
         *                                  message says why)
         */
        public NtkSpectrumListener build() {
            return new NtkSpectrumListener(this);
        }
    }
}
