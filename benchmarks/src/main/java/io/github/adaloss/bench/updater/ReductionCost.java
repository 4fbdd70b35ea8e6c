package io.github.adaloss.bench.updater;

import io.github.adaloss.bench.common.RoundStats;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one pass over the benchmark MLP's gradient (1,863,690 FLOAT entries) costs, per kind of operation, measured
 * in interleaved rounds: ND4J's {@code sumNumber} and {@code norm2Number} (the reductions the loss feed used),
 * BLAS {@code asum} and {@code dot} (what it uses now), the in-place scaling {@code muli} every updater does, and
 * the copy {@code assign} of a recovery snapshot. Prints the median over the rounds of the per-call milliseconds.
 * <pre>
 *   OMP_NUM_THREADS=1 java -cp benchmarks/target/adaloss-benchmarks.jar io.github.adaloss.bench.updater.ReductionCost
 * </pre>
 */
public final class ReductionCost {

    private ReductionCost() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        INDArray g = Nd4j.rand(DataType.FLOAT, 1, 1_863_690);
        INDArray copy = g.dup();
        String[] names = {"ND4J sumNumber", "ND4J norm2Number", "BLAS asum", "BLAS dot(g,g)", "muli (scaling)",
            "assign (copy)"};
        int rounds = 9;
        int calls = 100;
        double[][] ms = new double[names.length][rounds];
        double sink = 0;
        for (int r = -2; r < rounds; r++) {
            for (int k = 0; k < names.length; k++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    switch (k) {
                        case 0 -> sink += g.sumNumber().doubleValue();
                        case 1 -> sink += g.norm2Number().doubleValue();
                        case 2 -> sink += Nd4j.getBlasWrapper().level1().asum(g);
                        case 3 -> sink += Nd4j.getBlasWrapper().level1().dot(g.length(), 1.0, g, g);
                        case 4 -> g.muli(1.0);
                        default -> copy.assign(g);
                    }
                }
                if (r >= 0) {
                    ms[k][r] = (System.nanoTime() - t0) / 1e6 / calls;
                }
            }
        }
        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, %d FLOAT entries, median of %d rounds x %d calls%n",
                System.getenv("OMP_NUM_THREADS"), g.length(), rounds, calls);
        System.out.println("| operation | ms per call (median) | min | max |");
        System.out.println("|---|---:|---:|---:|");
        for (int k = 0; k < names.length; k++) {
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", names[k],
                    RoundStats.median(ms[k]), RoundStats.min(ms[k]),
                    RoundStats.max(ms[k]));
        }
        if (sink == 42) {
            System.out.println();
        }
    }
}
