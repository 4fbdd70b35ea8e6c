package io.github.adaloss.bench.ntk;

import static io.github.adaloss.bench.common.RoundStats.median;
import static io.github.adaloss.bench.common.RoundStats.summary;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.LossFeedListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The NTK snapshot of DL4J's zoo VGG16 and VGG19 (ComputationGraphs; 2 classes, input 3x16x16, built untrained
 * with seed 1, as in docs/zoo.md) on the structured path against the generic per-example path, in one JVM:
 * per model, one warm-up call of each, then {@code pairs} alternating calls of the trace kernel of a probe of 2
 * images (the listener's snapshot at its default probe in docs/zoo.md), timed in wall and calling-thread CPU time,
 * both with the zoo sweep's memory budget ({@link #BUDGET}), with the per-pair ratio generic / structured and the largest relative difference of the two kernels. Then
 * {@code steps} {@code fit} steps of AdaLoss (defaults, with its loss feed) on a batch of 8 images, so that the
 * snapshot's cost at the listener's default interval (one snapshot every 100 iterations) is
 * {@code snapshot / (100 step)} from the same run.
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=5g -cp benchmarks/target/adaloss-benchmarks.jar
 * io.github.adaloss.bench.ntk.ZooGraphNtk [pairs] [steps]} (defaults: 3 pairs, 5 steps after one warm-up step).
 */
public final class ZooGraphNtk {

    /** Working memory of both paths: the zoo sweep's default (a quarter of its 6 GB heap). */
    static final long BUDGET = 1_610_612_736L;

    private ZooGraphNtk() {
    }

    /**
     * @param args optional number of measured pairs and of measured training steps
     */
    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "| model (probe 2, 3x16x16) | parameters | path chosen by AUTO | structured s "
                + "(wall; CPU) | generic s (wall; CPU) | **generic / structured** (per pair, CPU) | max rel. diff "
                + "| s/step (wall) | cost at default, structured | cost at default, generic |%n");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String name : new String[] {"VGG16", "VGG19"}) {
            ComputationGraph net = build(name);
            Nd4j.getRandom().setSeed(7);
            INDArray probe = Nd4j.rand(net.params().dataType(), 2, 3, 16, 16);
            EmpiricalNtk structured = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED)
                    .memoryBudgetBytes(BUDGET).build();
            EmpiricalNtk generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC)
                    .memoryBudgetBytes(BUDGET).build();
            EmpiricalNtk.Method auto = EmpiricalNtk.builder(net).build().method();
            INDArray ks = structured.compute(probe);
            INDArray kg = generic.compute(probe);
            double diff = ks.sub(kg).amaxNumber().doubleValue() / kg.amaxNumber().doubleValue();
            double[][] wall = new double[2][pairs];
            double[][] cpu = new double[2][pairs];
            for (int r = 0; r < pairs; r++) {
                for (int what = 0; what < 2; what++) {
                    long w0 = System.nanoTime();
                    long c0 = mx.getCurrentThreadCpuTime();
                    (what == 0 ? structured : generic).compute(probe);
                    cpu[what][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                    wall[what][r] = (System.nanoTime() - w0) / 1e9;
                }
            }
            double[] ratio = new double[pairs];
            for (int r = 0; r < pairs; r++) {
                ratio[r] = cpu[1][r] / cpu[0][r];
            }
            double step = stepSeconds(net, steps);
            System.out.printf(Locale.ROOT, "| %s | %,d | %s | %s; %s | %s; %s | %s | %.1e | %.2f | %.1f%% | %.1f%% |%n",
                    name, net.numParams(), auto, seconds(wall[0]), seconds(cpu[0]), seconds(wall[1]), seconds(cpu[1]),
                    summary("%.1fx [%.1f, %.1f]", ratio), diff, step, 100 * median(wall[0]) / (100 * step),
                    100 * median(wall[1]) / (100 * step));
        }
    }

    private static String seconds(double[] v) {
        return summary("%.2f [%.2f, %.2f]", v);
    }

    private static ComputationGraph build(String name) {
        int[] shape = {3, 16, 16};
        return name.equals("VGG16")
                ? VGG16.builder().numClasses(2).seed(1).inputShape(shape).updater(new AdaLoss()).build().init()
                : VGG19.builder().numClasses(2).seed(1).inputShape(shape).updater(new AdaLoss()).build().init();
    }

    /** @return median wall seconds of one fit step of a batch of 8 random images (one warm-up step first) */
    private static double stepSeconds(ComputationGraph net, int steps) {
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 16, 16);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 2);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 2, 1.0);
        }
        DataSet d = new DataSet(x, y);
        net.addListeners(new LossFeedListener());
        net.fit(d);
        double[] t = new double[steps];
        for (int s = 0; s < steps; s++) {
            long w0 = System.nanoTime();
            net.fit(d);
            t[s] = (System.nanoTime() - w0) / 1e9;
        }
        return median(t);
    }
}
