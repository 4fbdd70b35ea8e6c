package io.github.adaloss.bench.ntk;

import static io.github.adaloss.bench.common.RoundStats.median;
import static io.github.adaloss.bench.common.RoundStats.stats;
import static io.github.adaloss.bench.common.RoundStats.summary;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The fast-path / GEMM-floor ratio of {@link NtkGramBenchmark}, measured robustly on a shared machine: in one JVM
 * the dense-path NTK (n = 1000) and its GEMM floor are timed alternately, call after call, so that each pair sees
 * the same background load, in wall time and in the calling thread's CPU time (with {@code OMP_NUM_THREADS=1}
 * OpenBLAS and ND4J run all the work in the calling thread, so CPU time does not count the time other processes
 * hold the core). Prints the medians and the median of the per-pair ratios, and the 1024^3 GEMM rate in CPU time.
 * Then times the generic path at n = 50, 100, 200 the same way (after one warm-up call at n = 50) and extrapolates
 * it to n = 1000 with the cost model of {@link NtkReport}, and the eigenvalues of the n = 1000 and 2000 kernels
 * ({@code NtkSpectrum.of} and LAPACK {@code dsyev} without eigenvectors).
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -Xmx6g -cp benchmarks/target/adaloss-benchmarks.jar
 * io.github.adaloss.bench.ntk.NtkPairedRatio [pairs] [rounds]} (defaults: 10 pairs after 2 warm-up pairs,
 * 2 rounds of the generic path and of the eigenvalues; 0 rounds skips both).
 */
public final class NtkPairedRatio {

    private NtkPairedRatio() {
    }

    /**
     * @param args optional number of measured pairs
     */
    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int genericRounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("thread CPU time is not supported by this JVM");
        }
        NtkGramBenchmark bench = new NtkGramBenchmark();
        NtkGramBenchmark.Dense dense = new NtkGramBenchmark.Dense();
        dense.setUp();
        NtkGramBenchmark.Floor floor = new NtkGramBenchmark.Floor();
        floor.setUp();
        NtkGramBenchmark.Square square = new NtkGramBenchmark.Square();
        square.setUp();
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        double[][] wall = new double[3][pairs];
        double[][] cpu = new double[3][pairs];
        for (int r = -2; r < pairs; r++) {
            for (int what = 0; what < 3; what++) {
                long w0 = System.nanoTime();
                long c0 = mx.getCurrentThreadCpuTime();
                switch (what) {
                    case 0 -> bh.consume(EmpiricalNtk.builder(dense.net).method(EmpiricalNtk.Method.DENSE).build()
                            .compute(dense.x));
                    case 1 -> bh.consume(bench.gemmFloor(floor));
                    default -> bh.consume(bench.gemm1024(square));
                }
                long c1 = mx.getCurrentThreadCpuTime();
                long w1 = System.nanoTime();
                if (r >= 0) {
                    wall[what][r] = (w1 - w0) / 1e6;
                    cpu[what][r] = (c1 - c0) / 1e6;
                }
            }
        }
        double[] ratioWall = new double[pairs];
        double[] ratioCpu = new double[pairs];
        for (int r = 0; r < pairs; r++) {
            ratioWall[r] = wall[0][r] / wall[1][r];
            ratioCpu[r] = cpu[0][r] / cpu[1][r];
        }
        double gemmFlops = 2.0 * 1024 * 1024 * 1024;
        double floorFlops = 2 * NtkGramBenchmark.FLOOR_MACS;
        System.out.printf(Locale.ROOT, "| Paired, %d alternating calls (median [min, max]) | wall ms | thread CPU ms |%n",
                pairs);
        System.out.println("|---|---:|---:|");
        System.out.printf(Locale.ROOT, "| fast path (dense), n = 1000 | %s | %s |%n", stats(wall[0]), stats(cpu[0]));
        System.out.printf(Locale.ROOT, "| GEMM floor, n = 1000 | %s | %s |%n", stats(wall[1]), stats(cpu[1]));
        System.out.printf(Locale.ROOT, "| GEMM 1024^3, double | %s | %s |%n", stats(wall[2]), stats(cpu[2]));
        System.out.printf(Locale.ROOT, "| **fast path / GEMM floor** (per-pair ratio) | %s | %s |%n",
                ratio(ratioWall), ratio(ratioCpu));
        System.out.printf(Locale.ROOT, "| GEMM rate, GFLOP/s (1024^3 / floor) | %.1f / %.1f | %.1f / %.1f |%n",
                gemmFlops / median(wall[2]) / 1e6, floorFlops / median(wall[1]) / 1e6,
                gemmFlops / median(cpu[2]) / 1e6, floorFlops / median(cpu[1]) / 1e6);
        if (genericRounds <= 0) {
            return;
        }
        eigen(bench, bh, mx, genericRounds);
        int[] sizes = {50, 100, 200};
        NtkGramBenchmark.Generic[] states = new NtkGramBenchmark.Generic[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            states[i] = new NtkGramBenchmark.Generic();
            states[i].n = sizes[i];
            states[i].setUp();
        }
        bh.consume(bench.genericTrace(states[0]));
        double[][] gWall = new double[sizes.length][genericRounds];
        double[][] gCpu = new double[sizes.length][genericRounds];
        for (int r = 0; r < genericRounds; r++) {
            for (int i = 0; i < sizes.length; i++) {
                long w0 = System.nanoTime();
                long c0 = mx.getCurrentThreadCpuTime();
                bh.consume(bench.genericTrace(states[i]));
                gCpu[i][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
                gWall[i][r] = (System.nanoTime() - w0) / 1e6;
            }
        }
        double[] w1000 = NtkReport.genericWork(NtkGramBenchmark.N);
        System.out.printf(Locale.ROOT, "%n| Generic path, %d rounds (median [min, max]) | wall ms | thread CPU ms | "
                + "CPU-time estimate at n = 1000 |%n|---|---:|---:|---:|%n", genericRounds);
        double estimate = 0;
        for (int i = 0; i < sizes.length; i++) {
            double[] w = NtkReport.genericWork(sizes[i]);
            double scale = 0.5 * (w1000[0] / w[0] + w1000[1] / w[1]);
            estimate = median(gCpu[i]) * scale;
            String exponent = i == 0 ? "" : String.format(Locale.ROOT, "; cost ~ n^%.2f from n = %d (model n^%.2f)",
                    Math.log(median(gCpu[i]) / median(gCpu[i - 1])) / Math.log((double) sizes[i] / sizes[i - 1]),
                    sizes[i - 1], Math.log(0.5 * (w[0] / NtkReport.genericWork(sizes[i - 1])[0]
                            + w[1] / NtkReport.genericWork(sizes[i - 1])[1])) / Math.log((double) sizes[i] / sizes[i - 1]));
            System.out.printf(Locale.ROOT, "| generic, n = %d (tile %d, %,.0f back-props%s) | %s | %s | %,.0f s |%n",
                    sizes[i], NtkReport.tile(sizes[i]), w[0], exponent, stats(gWall[i]), stats(gCpu[i]),
                    estimate / 1e3);
        }
        System.out.printf(Locale.ROOT, "| **generic (extrapolated from n = 200) / fast path**, CPU time | | | %.0fx |%n",
                estimate / median(cpu[0]));
    }

    private static void eigen(NtkGramBenchmark bench, Blackhole bh, ThreadMXBean mx, int rounds) {
        int[] sizes = {1000, 2000};
        NtkGramBenchmark.Gram[] grams = new NtkGramBenchmark.Gram[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            grams[i] = new NtkGramBenchmark.Gram();
            grams[i].n = sizes[i];
            grams[i].setUp();
        }
        bh.consume(bench.eigen(grams[0]));
        bh.consume(bench.eigenvaluesOnly(grams[0]));
        double[][] wall = new double[2 * sizes.length][rounds];
        double[][] cpu = new double[2 * sizes.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 2 * sizes.length; i++) {
                long w0 = System.nanoTime();
                long c0 = mx.getCurrentThreadCpuTime();
                if (i % 2 == 0) {
                    bh.consume(bench.eigen(grams[i / 2]));
                } else {
                    bh.consume(bench.eigenvaluesOnly(grams[i / 2]));
                }
                cpu[i][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
                wall[i][r] = (System.nanoTime() - w0) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "%n| Eigenvalues, %d rounds (median [min, max]) | wall ms | thread CPU ms |%n"
                + "|---|---:|---:|%n", rounds);
        for (int i = 0; i < 2 * sizes.length; i++) {
            System.out.printf(Locale.ROOT, "| %s, n = %d | %s | %s |%n",
                    i % 2 == 0 ? "`NtkSpectrum.of` (symmetrize, check, dsyev jobz='N')" : "dsyev jobz='N' (eigenvalues only)",
                    sizes[i / 2], stats(wall[i]), stats(cpu[i]));
        }
    }

    private static String ratio(double[] v) {
        return summary("%.2fx [%.2f, %.2f]", v);
    }
}
