package io.github.adaloss.bench.ntk;

import static io.github.adaloss.bench.common.RoundStats.median;
import static io.github.adaloss.bench.common.RoundStats.quotients;
import static io.github.adaloss.bench.common.RoundStats.stats;
import static io.github.adaloss.bench.common.RoundStats.summary;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float dense NTK path against its own GEMM floor and against the double path, side by side in one JVM: the
 * trace NTK of the 784-1024-1024-1 MLP of {@link NtkGramBenchmark} (FLOAT network, n = 1000) by the dense path in
 * the network's precision (float products, double sums, half-work symmetric products), the float GEMM floor (the
 * products {@link NtkGramBenchmark#gemmFloor} lists, full n x n Grams, in FLOAT), the same dense call with
 * {@code doublePrecision()}, and the double GEMM floor, in alternating rounds; medians with [min, max] of the
 * per-round ratios, wall time and the calling thread's CPU time. Then the accuracy of the float kernel against the
 * double one (relative Frobenius difference, relative differences of lambda_min and lambda_max).
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -Xmx6g -cp benchmarks/target/adaloss-benchmarks.jar
 * io.github.adaloss.bench.ntk.NtkFloatRatio [rounds]} (default 7 after 2 warm-up rounds).
 */
public final class NtkFloatRatio {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private NtkFloatRatio() {
    }

    /** @param args optional number of rounds */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        MultiLayerNetwork net = NtkGramBenchmark.network(DataType.FLOAT);
        INDArray x = NtkGramBenchmark.inputs(NtkGramBenchmark.N);
        INDArray[] floorF = floor(net, x, DataType.FLOAT);
        INDArray[] floorD = floor(net, x, DataType.DOUBLE);
        EmpiricalNtk single = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.DENSE).build();
        EmpiricalNtk twice = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.DENSE).doublePrecision().build();
        double[][] wall = new double[4][rounds];
        double[][] cpu = new double[4][rounds];
        INDArray kf = null;
        INDArray kd = null;
        for (int r = -2; r < rounds; r++) {
            for (int what = 0; what < 4; what++) {
                long w0 = System.nanoTime();
                long c0 = MX.getCurrentThreadCpuTime();
                switch (what) {
                    case 0 -> kf = single.compute(x);
                    case 1 -> products(floorF);
                    case 2 -> kd = twice.compute(x);
                    default -> products(floorD);
                }
                long c1 = MX.getCurrentThreadCpuTime();
                long w1 = System.nanoTime();
                if (r >= 0) {
                    wall[what][r] = (w1 - w0) / 1e6;
                    cpu[what][r] = (c1 - c0) / 1e6;
                }
            }
        }
        System.out.printf(Locale.ROOT, "| MLP 784-1024-1024-1, n = 1000, %d alternating rounds (median [min, max]) "
                + "| wall ms | thread CPU ms |%n|---|---:|---:|%n", rounds);
        String[] names = {"dense path, float (network's precision)", "GEMM floor, float",
            "dense path, doublePrecision()", "GEMM floor, double"};
        for (int i = 0; i < 4; i++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", names[i], stats(wall[i]), stats(cpu[i]));
        }
        System.out.printf(Locale.ROOT, "| **float path / float GEMM floor** | %s | %s |%n", ratio(wall[0], wall[1]),
                ratio(cpu[0], cpu[1]));
        System.out.printf(Locale.ROOT, "| **double path / float path** | %s | %s |%n", ratio(wall[2], wall[0]),
                ratio(cpu[2], cpu[0]));
        System.out.printf(Locale.ROOT, "| double path / double GEMM floor | %s | %s |%n", ratio(wall[2], wall[3]),
                ratio(cpu[2], cpu[3]));
        NtkSpectrum sf = NtkSpectrum.of(kf);
        NtkSpectrum sd = NtkSpectrum.of(kd);
        System.out.printf(Locale.ROOT, "%n| accuracy of the float path vs the double path | value |%n|---|---:|%n"
                + "| relative Frobenius difference | %.2e |%n| relative difference of lambda_min | %.2e |%n"
                + "| relative difference of lambda_max | %.2e |%n| lambda_min, lambda_max (double path) | %.4g, %.4g |%n",
                kf.sub(kd).norm2Number().doubleValue() / kd.norm2Number().doubleValue(),
                Math.abs(sf.lambdaMin() - sd.lambdaMin()) / Math.abs(sd.lambdaMin()),
                Math.abs(sf.lambdaMax() - sd.lambdaMax()) / sd.lambdaMax(), sd.lambdaMin(), sd.lambdaMax());
    }

    /** Operands of the products the dense path cannot avoid, in the given type (random activations and signals). */
    private static INDArray[] floor(MultiLayerNetwork net, INDArray x, DataType t) {
        int n = (int) x.rows();
        int w = NtkGramBenchmark.WIDTH;
        return new INDArray[] {x.castTo(t), net.getLayer(0).getParam("W").castTo(t),
            net.getLayer(1).getParam("W").castTo(t), net.getLayer(2).getParam("W").castTo(t),
            Nd4j.rand(t, n, w), Nd4j.rand(t, n, w), Nd4j.rand(t, n, w), Nd4j.rand(t, n, w), Nd4j.rand(t, n, 1)};
    }

    /** The products of {@link NtkGramBenchmark#gemmFloor}, full n x n Grams. */
    private static void products(INDArray[] f) {
        INDArray x = f[0];
        INDArray w1 = f[1];
        INDArray w2 = f[2];
        INDArray w3 = f[3];
        INDArray a1 = f[4];
        INDArray a2 = f[5];
        INDArray d1 = f[6];
        INDArray d2 = f[7];
        INDArray d3 = f[8];
        x.mmul(w1).close();
        a1.mmul(w2).close();
        a2.mmul(w3).close();
        d3.mmul(w3.transpose()).close();
        d2.mmul(w2.transpose()).close();
        x.mmul(x.transpose()).close();
        a1.mmul(a1.transpose()).close();
        a2.mmul(a2.transpose()).close();
        d1.mmul(d1.transpose()).close();
        d2.mmul(d2.transpose()).close();
        d3.mmul(d3.transpose()).close();
    }

    private static String ratio(double[] num, double[] den) {
        return summary("%.2fx [%.2f, %.2f]", quotients(num, den, 1, 1));
    }
}
