package io.github.adaloss.bench.ntk;

import io.github.adaloss.bench.common.BenchmarkMlp;
import io.github.adaloss.bench.common.ProcessMemory;
import io.github.adaloss.datasets.FashionMnist;
import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.FloatGram;
import io.github.adaloss.ntk.kernel.LanczosSpectrum;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import io.github.adaloss.ntk.kernel.TiledNtkGram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.LeNet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The trace NTK Gram at scale (issue 23, item 3): {@link TiledNtkGram} on the first n Fashion-MNIST training images
 * (installed by Debian's {@code dataset-fashion-mnist}), for the FLOAT 784-1024-1024-10 MLP of {@link BenchmarkMlp}
 * (dense path; the n = 30,000) or DL4J's zoo LeNet as in {@link ConvNtkFloor} (structured convolutional
 * path; n = 10,000), untrained. The n x n float result goes to a memory-mapped file (or stays in a Java array with
 * {@code -}). Then:
 * <ul>
 *   <li>a check of the stored Gram: m random examples (seed 3) recomputed whole by {@link EmpiricalNtk} with
 *       {@code doublePrecision()}, and the m x m submatrix of the stored Gram compared with it (largest absolute
 *       difference over the largest entry; relative Frobenius difference);</li>
 *   <li>the spectrum's extremes by {@link LanczosSpectrum} on the stored Gram (one pass over the n^2 floats per
 *       iteration), and on the m x m submatrix against the dense eigendecomposition {@link NtkSpectrum};</li>
 *   <li>{@code 2^-24 ||K||_F}: by Weyl's inequality no eigenvalue moves by more than this when the entries are
 *       rounded to float, so eigenvalues below it are not resolved by a float Gram.</li>
 * </ul>
 * Reported: the tiling plan, wall and process CPU time of the Gram and of Lanczos, the peak resident set (VmHWM:
 * includes the mapped file's resident pages) and the largest anonymous resident set seen (RssAnon, polled every
 * 200 ms: the working memory without the page cache).
 *
 * <p>Usage: {@code java -Xmx8g -cp benchmarks/target/adaloss-benchmarks.jar io.github.adaloss.bench.ntk.TiledGramScale
 * mlp|lenet n budgetGiB gramFile|- [m] [lanczosIterations] [tolerance] [reuse]} (m default 256, iterations
 * default 300, tolerance default 1e-6, relative to lambda_max); {@code reuse} opens an existing gramFile instead of
 * computing it (the checks and Lanczos only).
 */
public final class TiledGramScale {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private TiledGramScale() {
    }

    /**
     * @param args model, n, budget in GiB, Gram file or {@code -}, optional m and Lanczos iterations
     * @throws IOException if the data cannot be read or the file written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: TiledGramScale mlp|lenet n budgetGiB gramFile|- [m] "
                    + "[lanczosIterations]");
        }
        String model = args[0];
        int n = Integer.parseInt(args[1]);
        long budget = (long) (Double.parseDouble(args[2]) * (1L << 30));
        Path file = args[3].equals("-") ? null : Path.of(args[3]);
        int m = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        int iterations = args.length > 5 ? Integer.parseInt(args[5]) : 300;
        double tolerance = args.length > 6 ? Double.parseDouble(args[6]) : 1e-6;
        boolean reuse = args.length > 7 && args[7].equals("reuse");
        if (reuse && file == null) {
            throw new IllegalArgumentException("reuse needs a gramFile, got -");
        }
        if (m < 2 || m > n) {
            throw new IllegalArgumentException("m must be in [2, n = " + n + "], got " + m);
        }
        MultiLayerNetwork net = switch (model) {
            case "mlp" -> BenchmarkMlp.classifier(42, new Sgd(0.01), null);
            case "lenet" -> (MultiLayerNetwork) LeNet.builder().numClasses(10).seed(2)
                    .updater(new Nesterovs(1e-3, 0.9)).build().init();
            default -> throw new IllegalArgumentException("model must be mlp or lenet, got " + model);
        };
        INDArray x = FashionMnist.load(FashionMnist.directory(), true, n).getFeatures();
        if (x.size(0) != n) {
            throw new IllegalArgumentException("n = " + n + " but the training set has " + x.size(0) + " images");
        }
        TiledNtkGram tiled = TiledNtkGram.builder(net).memoryBudgetBytes(budget).build();
        TiledNtkGram.Plan plan = tiled.plan(x);
        System.out.printf(Locale.ROOT, "%s (%,d parameters), n = %,d Fashion-MNIST training images, FLOAT, %d threads"
                + "%n| plan | path %s, tiles of %d rows, %d tiles, %d blocks, %,d bytes per example, working memory "
                + "%.2f GiB of a %.2f GiB budget |%n", model, net.numParams(), n,
                Runtime.getRuntime().availableProcessors(), plan.method(), plan.tileRows(), plan.tiles(),
                plan.blocks(), plan.bytesPerExample(), plan.workingBytes() / (double) (1L << 30),
                budget / (double) (1L << 30));
        FloatGram gram;
        long anonBefore = ProcessMemory.rssAnonKb();
        try (ProcessMemory.Sampler anon = new ProcessMemory.Sampler(200)) {
            long c0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            gram = reuse ? FloatGram.open(file) : file == null ? tiled.compute(x) : tiled.compute(x, file);
            long t1 = System.nanoTime();
            long c1 = OS.getProcessCpuTime();
            System.out.printf(Locale.ROOT, "| Gram (%s) | %.1f s wall, %.1f s process CPU |%n"
                    + "| peak RSS (VmHWM, with the mapped file's resident pages) | %.0f MB |%n"
                    + "| largest RssAnon seen during the Gram (before it: %.0f MB) | %.0f MB |%n",
                    reuse ? "opened, not computed: " + file : file == null ? "in a Java float array"
                            : "memory-mapped " + file + ", "
                            + Files.size(file) / (1L << 20) + " MB", (t1 - t0) / 1e9, (c1 - c0) / 1e9,
                    ProcessMemory.peakRssKb() / 1024.0, anonBefore / 1024.0, anon.maxKb() / 1024.0);
        }
        int[] idx = sample(n, m);
        INDArray xs = Nd4j.pullRows(x, 1, idx);
        long t2 = System.nanoTime();
        INDArray exact = EmpiricalNtk.builder(net).doublePrecision().build().compute(xs);
        long t3 = System.nanoTime();
        double[][] sub = new double[m][m];
        double maxDiff = 0;
        double maxEntry = 0;
        double diff2 = 0;
        double ref2 = 0;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double g = gram.get(idx[a], idx[b]);
                double e = exact.getDouble(a, b);
                sub[a][b] = g;
                maxDiff = Math.max(maxDiff, Math.abs(g - e));
                maxEntry = Math.max(maxEntry, Math.abs(e));
                diff2 += (g - e) * (g - e);
                ref2 += e * e;
            }
        }
        System.out.printf(Locale.ROOT, "| check: %d random examples recomputed whole, doublePrecision() (%.1f s) | "
                + "max |difference| / max |entry| %.2e, relative Frobenius %.2e |%n", m, (t3 - t2) / 1e9,
                maxDiff / maxEntry, Math.sqrt(diff2 / ref2));
        LanczosSpectrum small = LanczosSpectrum.of(Nd4j.createFromArray(sub), 5, m, 1e-10, 1);
        NtkSpectrum dense = NtkSpectrum.of(exact);
        System.out.printf(Locale.ROOT, "| check: Lanczos on the %d x %d submatrix against the dense "
                + "eigendecomposition | lambda_min %.6g vs %.6g, lambda_max %.6g vs %.6g |%n", m, m,
                small.lambdaMin(), dense.lambdaMin(), small.lambdaMax(), dense.lambdaMax());
        long c4 = OS.getProcessCpuTime();
        long t4 = System.nanoTime();
        LanczosSpectrum s = LanczosSpectrum.of(gram, 10, iterations, tolerance, 1);
        long t5 = System.nanoTime();
        long c5 = OS.getProcessCpuTime();
        System.out.printf(Locale.ROOT, "| Lanczos on the n x n Gram (top 10, tolerance %.0e lambda_max, at most "
                + "%d iterations) | %.1f s wall, %.1f s CPU, %d iterations, converged %s |%n"
                + "| lambda_max (residual) | %.6g (%.1e) |%n| lambda_min (residual) | %.6g (%.1e) |%n"
                + "| top 10 | %s |%n| peak RSS at the end | %.0f MB |%n", tolerance, iterations, (t5 - t4) / 1e9,
                (c5 - c4) / 1e9, s.iterations(), s.converged(), s.lambdaMax(), s.residualMax(), s.lambdaMin(),
                s.residualMin(), Arrays.toString(Arrays.stream(s.top()).mapToObj(v -> String.format(Locale.ROOT,
                        "%.5g", v)).toArray()), ProcessMemory.peakRssKb() / 1024.0);
        System.out.printf(Locale.ROOT, "| float storage: ||K||_F, and 2^-24 ||K||_F (Weyl bound on every eigenvalue's "
                + "change from rounding the entries to float) | %.6g, %.3g |%n", frobenius(gram),
                Math.scalb(frobenius(gram), -24));
        gram.close();
    }

    /** @return the Frobenius norm of the stored matrix, summed in double */
    private static double frobenius(FloatGram g) {
        int n = g.size();
        float[] row = new float[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            g.getRow(i, 0, row, 0, n);
            for (float v : row) {
                s += (double) v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** @return m distinct indices in [0, n), ascending (seed 3) */
    private static int[] sample(int n, int m) {
        Random r = new Random(3);
        return r.ints(0, n).distinct().limit(m).sorted().toArray();
    }
}
