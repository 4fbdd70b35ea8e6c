package io.github.adaloss.bench.ntk;

import static io.github.adaloss.bench.common.RoundStats.quotients;
import static io.github.adaloss.bench.common.RoundStats.stats;
import static io.github.adaloss.bench.common.RoundStats.summary;

import io.github.adaloss.bench.common.ProcessMemory;
import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.LeNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * The structured convolutional NTK path on DL4J's zoo LeNet (28x28x1, Same mode: conv 5x5 20, max pool, conv 5x5 50, max
 * pool, dense 500, softmax 10; 1 256 080 parameters) against its own GEMM floor, side by side in one JVM: the trace
 * kernel of the 10 outputs on n images, and the GEMMs that path cannot avoid, on random operands of the same shapes
 * in the same type, in alternating rounds (wall time and the process's CPU time, all threads: on a shared machine only the latter
 * can be read). The floor: the forward im2col
 * GEMMs of both convolutions and the two dense products; the backward products of the k n signal rows through the
 * two dense layers and below the second convolution ({@code W^T Delta}: D x C_out x n k P, batched over chunks
 * of rows as the path forms it); the per-example weight gradients of both convolutions (batched
 * {@code [k C_out, P] x [P, D]}); and the symmetric n x n products of every layer's factors in the path's
 * half-work form (the blocks on and below the diagonal). So the ratio is the path's cost beyond its own GEMMs
 * (im2col, col2im, pooling backprop, activations, copies, allocation).
 *
 * <p>Also: peak resident memory of the process (VmHWM) after the path's rounds and before anything else, and for
 * FLOAT the accuracy of the float kernel against the {@code doublePrecision()} one. With an export directory it
 * writes the network's weights, the images and the kernel (little-endian float64) for the functorch comparison
 * ({@code benchmarks/scripts/functorch_lenet_ntk.py}).
 *
 * <p>Usage: {@code java -cp benchmarks/target/adaloss-benchmarks.jar io.github.adaloss.bench.ntk.ConvNtkFloor
 * n float|double rounds [budgetGiB|-] [exportDir|-] [pathonly]}; {@code pathonly} skips the floor, so that the
 * peak RSS is the path's own (with the JVM and ND4J).
 */
public final class ConvNtkFloor {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private ConvNtkFloor() {
    }

    /** @param args n, precision, rounds, optional memory budget in GiB, optional export directory */
    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        DataType type = args[1].equals("float") ? DataType.FLOAT : DataType.DOUBLE;
        int rounds = Integer.parseInt(args[2]);
        long budget = args.length > 3 && !args[3].equals("-") ? (long) (Double.parseDouble(args[3]) * (1L << 30))
                : Runtime.getRuntime().maxMemory() / 4;
        Path export = args.length > 4 && !args[4].equals("-") ? Path.of(args[4]) : null;
        boolean withFloor = !(args.length > 5 && args[5].equals("pathonly"));
        Nd4j.getRandom().setSeed(1);
        MultiLayerNetwork lenet = (MultiLayerNetwork) LeNet.builder().numClasses(10).seed(2)
                .updater(new Nesterovs(1e-3, 0.9)).build().init();
        if (type == DataType.DOUBLE) {
            lenet = lenet.convertDataType(DataType.DOUBLE);
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 784).castTo(type);
        EmpiricalNtk path = EmpiricalNtk.builder(lenet).method(EmpiricalNtk.Method.STRUCTURED)
                .memoryBudgetBytes(budget).build();
        List<INDArray> floor = withFloor ? floorOperands(n, 10, type) : null;
        double[][] wall = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        INDArray kernel = null;
        for (int r = -1; r < rounds; r++) {
            long c0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            kernel = path.compute(x);
            long t1 = System.nanoTime();
            long c1 = OS.getProcessCpuTime();
            if (withFloor) {
                products(floor, n, 10);
            }
            long t2 = System.nanoTime();
            long c2 = OS.getProcessCpuTime();
            if (r >= 0) {
                wall[0][r] = (t1 - t0) / 1e6;
                wall[1][r] = (t2 - t1) / 1e6;
                cpu[0][r] = (c1 - c0) / 1e6;
                cpu[1][r] = (c2 - c1) / 1e6;
            }
        }
        long peak = ProcessMemory.peakRssKb();
        System.out.printf(Locale.ROOT, "| LeNet trace NTK, n = %d, %s, %d alternating rounds (median [min, max]) "
                + "| wall ms | process CPU ms |%n|---|---:|---:|%n", n, type, rounds);
        System.out.printf(Locale.ROOT, "| structured path | %s | %s |%n", stats(wall[0]), stats(cpu[0]));
        if (withFloor) {
            System.out.printf(Locale.ROOT, "| GEMM floor | %s | %s |%n", stats(wall[1]), stats(cpu[1]));
            System.out.printf(Locale.ROOT, "| **path / floor** | %s | %s |%n",
                    summary("%.2fx [%.2f, %.2f]", quotients(wall[0], wall[1], 1, 1)),
                    summary("%.2fx [%.2f, %.2f]", quotients(cpu[0], cpu[1], 1, 1)));
        }
        System.out.printf(Locale.ROOT, "| floor multiply-adds | %.2f G |%n", floorMacs(n, 10) / 1e9);
        System.out.printf(Locale.ROOT, "| peak RSS of the process (VmHWM, %s) | %.0f MB |%n",
                withFloor ? "path and floor" : "path only", peak / 1024.0);
        System.out.printf(Locale.ROOT, "| memory budget | %.2f GiB |%n", budget / (double) (1L << 30));
        if (type == DataType.FLOAT) {
            INDArray reference = EmpiricalNtk.builder(lenet).method(EmpiricalNtk.Method.STRUCTURED)
                    .memoryBudgetBytes(budget).doublePrecision().build().compute(x);
            NtkSpectrum sf = NtkSpectrum.of(kernel);
            NtkSpectrum sd = NtkSpectrum.of(reference);
            System.out.printf(Locale.ROOT, "| float kernel vs doublePrecision(): relative Frobenius difference | "
                    + "%.2e |%n| relative difference of lambda_min / lambda_max | %.2e / %.2e |%n"
                    + "| lambda_min, lambda_max (double) | %.4g, %.4g |%n",
                    kernel.sub(reference).norm2Number().doubleValue() / reference.norm2Number().doubleValue(),
                    Math.abs(sf.lambdaMin() - sd.lambdaMin()) / Math.abs(sd.lambdaMin()),
                    Math.abs(sf.lambdaMax() - sd.lambdaMax()) / sd.lambdaMax(), sd.lambdaMin(), sd.lambdaMax());
        }
        if (export != null) {
            Files.createDirectories(export);
            String[] names = {"conv1_W", "conv1_b", "conv2_W", "conv2_b", "dense_W", "dense_b", "out_W", "out_b"};
            int[] layers = {0, 0, 2, 2, 4, 4, 5, 5};
            for (int i = 0; i < names.length; i++) {
                write(export.resolve(names[i] + ".bin"), lenet.getLayer(layers[i]).getParam(i % 2 == 0 ? "W" : "b"));
            }
            write(export.resolve("x.bin"), x);
            write(export.resolve("kernel.bin"), kernel);
            System.out.println("exported weights, x [" + n + ", 784] and the kernel to " + export);
        }
    }

    /** Writes an array's entries in C order as little-endian float64 (numpy: {@code np.fromfile(f, '<f8')}). */
    private static void write(Path file, INDArray a) throws IOException {
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.write(b.array());
        }
    }

    // the zoo LeNet's shapes (Same mode): conv1 P = 28 x 28, D = 25, C_out = 20; conv2 P = 14 x 14, D = 500,
    // C_out = 50; dense 7 x 7 x 50 = 2450 -> 500
    private static final int P1 = 784;
    private static final int D1 = 25;
    private static final int C1 = 20;
    private static final int P2 = 196;
    private static final int D2 = 500;
    private static final int C2 = 50;
    private static final int FLAT = 2450;
    private static final int HIDDEN = 500;

    /** Random operands of the floor's products, in the given type. */
    private static List<INDArray> floorOperands(int n, int k, DataType t) {
        List<INDArray> o = new ArrayList<>();
        o.add(Nd4j.rand(t, (long) n * P1, D1));          // 0 patches1
        o.add(Nd4j.rand(t, D1, C1));                     // 1 W1^T
        o.add(Nd4j.rand(t, (long) n * P2, D2));          // 2 patches2
        o.add(Nd4j.rand(t, D2, C2));                     // 3 W2^T
        o.add(Nd4j.rand(t, n, FLAT));                    // 4 flattened pool2 output
        o.add(Nd4j.rand(t, FLAT, HIDDEN));               // 5 W3
        o.add(Nd4j.rand(t, n, HIDDEN));                  // 6 dense output
        o.add(Nd4j.rand(t, HIDDEN, k));                  // 7 W4
        o.add(Nd4j.rand(t, (long) n * k, k));            // 8 output signals
        o.add(Nd4j.rand(t, (long) n * k, HIDDEN));       // 9 dense signals
        o.add(Nd4j.rand(t, (long) n * k, C2, P2));       // 10 conv2 signals, [n k, C_out, P]
        o.add(Nd4j.rand(t, n, (long) k * C2, P2));       // 11 conv2 signals per example
        o.add(Nd4j.rand(t, n, P2, D2));                  // 12 conv2 patches per example
        o.add(Nd4j.rand(t, n, (long) k * C1, P1));       // 13 conv1 signals per example
        o.add(Nd4j.rand(t, n, P1, D1));                  // 14 conv1 patches per example
        o.add(Nd4j.rand(t, n, (long) k * C2 * D2));      // 15 conv2 gradients
        o.add(Nd4j.rand(t, n, (long) k * C1 * D1));      // 16 conv1 gradients
        o.add(Nd4j.rand(t, n, (long) k * HIDDEN));       // 17 dense signals per example
        o.add(Nd4j.rand(t, n, (long) k * k));            // 18 output signals per example
        return o;
    }

    /** The floor: every product listed in the class documentation, full n x n Grams. */
    private static void products(List<INDArray> o, int n, int k) {
        o.get(0).mmul(o.get(1)).close();
        o.get(2).mmul(o.get(3)).close();
        o.get(4).mmul(o.get(5)).close();
        o.get(6).mmul(o.get(7)).close();
        o.get(8).mmul(o.get(7).transpose()).close();
        o.get(9).mmul(o.get(5).transpose()).close();
        // W^T Delta below conv2 as the path forms it: batched over chunks of rows, at most 16 MB of columns each
        long bytes = o.get(10).dataType() == DataType.FLOAT ? 4 : 8;
        long chunk = Math.max(1, Math.min((long) n * k, (1L << 24) / (bytes * D2 * P2)));
        INDArray wRep = Nd4j.rand(o.get(10).dataType(), chunk, D2, C2);
        for (long r0 = 0; r0 < (long) n * k; r0 += chunk) {
            long r1 = Math.min((long) n * k, r0 + chunk);
            INDArray w = r1 - r0 == chunk ? wRep : wRep.get(NDArrayIndex.interval(0, r1 - r0), NDArrayIndex.all(),
                    NDArrayIndex.all());
            Nd4j.matmul(w, o.get(10).get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all(), NDArrayIndex.all()),
                    false, false, false).close();
        }
        Nd4j.matmul(o.get(11), o.get(12), false, false, false).close();
        Nd4j.matmul(o.get(13), o.get(14), false, false, false).close();
        for (int i : new int[] {15, 16, 4, 17, 6, 18}) {
            lowerBlocks(o.get(i));
        }
    }

    /**
     * {@code p p^T} as the path computes symmetric products (DenseNtk's half-work rule): one product below 128 rows,
     * else the blocks on and below the diagonal, in row blocks of a quarter of n (a multiple of 8, at most 256).
     */
    private static void lowerBlocks(INDArray p) {
        long n = p.rows();
        long block = n < 128 ? n : Math.min(256, ((n + 3) / 4 + 7) / 8 * 8);
        for (long i0 = 0; i0 < n; i0 += block) {
            long i1 = Math.min(n, i0 + block);
            p.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.all())
                    .mmul(p.get(NDArrayIndex.interval(0, i1), NDArrayIndex.all()).transpose()).close();
        }
    }

    private static double floorMacs(long n, long k) {
        double m = n * P1 * D1 * C1 + n * P2 * D2 * C2 + n * FLAT * HIDDEN + n * HIDDEN * k;
        m += n * k * k * HIDDEN + n * k * HIDDEN * FLAT + (double) D2 * C2 * n * k * P2;
        m += (double) n * k * C2 * P2 * D2 + (double) n * k * C1 * P1 * D1;
        // symmetric products: blocks on and below the diagonal (5/8 of n^2 with 4 blocks, all of it below 128 rows)
        double pairs = n < 128 ? (double) n * n : 0.625 * n * n;
        m += pairs * (k * C2 * D2 + k * C1 * D1 + FLAT + k * HIDDEN + HIDDEN + k * k);
        return m;
    }
}
