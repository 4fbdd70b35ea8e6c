package io.github.adaloss.bench.ntk;

import static io.github.adaloss.bench.common.RoundStats.median;
import static io.github.adaloss.bench.common.RoundStats.summary;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.LossFeedListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.InceptionResNetV1;
import org.deeplearning4j.zoo.model.TinyYOLO;
import org.deeplearning4j.zoo.model.YOLO2;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.TextGenerationLSTM;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The NTK snapshot of zoo models on the structured path against the generic per-example path, in one JVM: DL4J's
 * zoo VGG16, VGG19 and Darknet19 (ComputationGraphs; 2 classes, input 3x16x16), SqueezeNet (3x24x24), ResNet50
 * and InceptionResNetV1 (3x75x75; each at the smallest input it accepts, as in docs/zoo.md) and TextGenerationLSTM (a MultiLayerNetwork of
 * two GravesLSTM 256 and an RnnOutputLayer; 13 characters, 8 steps, so 13 x 8 = 104 outputs per example), built
 * untrained with seed 1 as in docs/zoo.md. Per model, one warm-up call of each, then {@code pairs} alternating calls
 * of the trace kernel of a probe of 2 examples (random images; random one-hot character sequences), the listener's
 * snapshot at its default probe in docs/zoo.md (after the training steps below, which set BatchNorm's running
 * statistics), timed in wall and calling-thread CPU time,
 * both with the zoo sweep's memory budget ({@link #BUDGET}), with the per-pair ratio generic / structured and the largest relative difference of the two kernels. Then
 * {@code steps} {@code fit} steps of AdaLoss (defaults, with its loss feed) on a batch of 8 examples, so that the
 * snapshot's cost at the listener's default interval (one snapshot every 100 iterations) is
 * {@code snapshot / (100 step)} from the same run.
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=5g -cp benchmarks/target/adaloss-benchmarks.jar
 * io.github.adaloss.bench.ntk.ZooNtkCost [pairs] [steps] [models]} (defaults: 3 pairs, 5 steps after one warm-up step,
 * models {@code VGG16,VGG19,TextGenerationLSTM}; also Darknet19, SqueezeNet, ResNet50,
 * InceptionResNetV1, and the YOLOs
 * (TinyYOLO 3x16x16, YOLO2 3x24x24), which only the structured path takes: their generic columns are "-").
 */
public final class ZooNtkCost {

    /** Working memory of both paths: the zoo sweep's default (a quarter of its 6 GB heap). */
    static final long BUDGET = 1_610_612_736L;

    /** Characters and steps of the TextGenerationLSTM case (docs/zoo.md). */
    private static final int CHARS = 13;
    private static final int STEPS = 8;

    private ZooNtkCost() {
    }

    /**
     * @param args optional number of measured pairs, of measured training steps, and the models (comma-separated)
     */
    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[] models = (args.length > 2 ? args[2] : "VGG16,VGG19,TextGenerationLSTM").split(",");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "| model (probe 2) | parameters | path chosen by AUTO | structured s "
                + "(wall; CPU) | generic s (wall; CPU) | **generic / structured** (per pair, CPU) | max rel. diff "
                + "| s/step (wall) | cost at default, structured | cost at default, generic |%n");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String name : models) {
            Model net = build(name);
            // the training steps first: they also move BatchNorm's running statistics away from their initial
            // (0, 1), without which an untrained ResNet50 overflows float in inference mode at 75x75
            double step = stepSeconds(net, name, steps);
            INDArray probe = inputs(name, 2, 7);
            EmpiricalNtk structured = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED)
                    .memoryBudgetBytes(BUDGET).build();
            EmpiricalNtk generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC)
                    .memoryBudgetBytes(BUDGET).build();
            EmpiricalNtk.Method auto = EmpiricalNtk.builder(net).build().method();
            INDArray ks = structured.compute(probe);
            String diff;
            try {
                diff = agreement(ks, generic.compute(probe));
            } catch (UnsupportedOperationException e) {
                // the YOLOs: the generic path cannot take a Yolo2OutputLayer (its loss needs boxes)
                generic = null;
                diff = "-";
            }
            double[][] wall = new double[2][pairs];
            double[][] cpu = new double[2][pairs];
            for (int r = 0; r < pairs; r++) {
                for (int what = 0; what < (generic == null ? 1 : 2); what++) {
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
            boolean both = generic != null;
            System.out.printf(Locale.ROOT, "| %s | %,d | %s | %s; %s | %s | %s | %s | %.2f | %.1f%% | %s |%n",
                    name, net.numParams(), auto, seconds(wall[0]), seconds(cpu[0]),
                    both ? seconds(wall[1]) + "; " + seconds(cpu[1]) : "-",
                    both ? summary("%.1fx [%.1f, %.1f]", ratio) : "-", diff, step,
                    100 * median(wall[0]) / (100 * step),
                    both ? String.format(Locale.ROOT, "%.1f%%", 100 * median(wall[1]) / (100 * step)) : "-");
        }
    }

    /**
     * @return the largest entry difference of the two kernels over the largest entry, or "both 0" when both are
     *         exactly zero (the untrained zoo ResNet50: its softmax output is exactly one-hot for any input, checked
     *         in double at input scales 1 to 1e-4, so every Jacobian vanishes)
     */
    private static String agreement(INDArray ks, INDArray kg) {
        double scale = kg.amaxNumber().doubleValue();
        if (scale == 0 && ks.amaxNumber().doubleValue() == 0) {
            return "both 0";
        }
        return String.format(Locale.ROOT, "%.1e", ks.sub(kg).amaxNumber().doubleValue() / scale);
    }

    private static String seconds(double[] v) {
        return summary("%.2f [%.2f, %.2f]", v);
    }

    static Model build(String name) {
        int[] shape = {3, 16, 16};
        return switch (name) {
            case "Darknet19" -> Darknet19.builder().numClasses(2).seed(1).inputShape(shape).updater(new AdaLoss())
                    .build().init();
            case "SqueezeNet" -> SqueezeNet.builder().numClasses(2).seed(1).inputShape(new int[] {3, 24, 24})
                    .updater(new AdaLoss()).build().init();
            case "ResNet50" -> ResNet50.builder().numClasses(2).seed(1).inputShape(new int[] {3, 75, 75})
                    .updater(new AdaLoss()).build().init();
            case "InceptionResNetV1" -> InceptionResNetV1.builder().numClasses(2).seed(1)
                    .inputShape(new int[] {3, 75, 75}).updater(new AdaLoss()).build().init();
            case "TinyYOLO" -> TinyYOLO.builder().numClasses(2).seed(1).inputShape(shape).updater(new AdaLoss())
                    .build().init();
            case "YOLO2" -> YOLO2.builder().numClasses(2).seed(1).inputShape(new int[] {3, 24, 24})
                    .updater(new AdaLoss()).build().init();
            case "VGG16" -> VGG16.builder().numClasses(2).seed(1).inputShape(shape).updater(new AdaLoss()).build()
                    .init();
            case "VGG19" -> VGG19.builder().numClasses(2).seed(1).inputShape(shape).updater(new AdaLoss()).build()
                    .init();
            case "TextGenerationLSTM" -> TextGenerationLSTM.builder().totalUniqueCharacters(CHARS).maxLength(STEPS)
                    .inputShape(new int[] {STEPS, CHARS}).seed(1).updater(new AdaLoss()).build().init();
            default -> throw new IllegalArgumentException("model must be VGG16, VGG19, Darknet19, SqueezeNet, "
                    + "ResNet50, InceptionResNetV1, TinyYOLO, YOLO2 or TextGenerationLSTM, got " + name);
        };
    }

    /** @return n inputs of the model: random images [n, 3, side, side], or random one-hot sequences [n, 13, 8] */
    static INDArray inputs(String name, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        if (!name.equals("TextGenerationLSTM")) {
            int side = name.equals("ResNet50") || name.equals("InceptionResNetV1") ? 75
                    : name.equals("SqueezeNet") || name.equals("YOLO2") ? 24 : 16;
            return Nd4j.rand(DataType.FLOAT, n, 3, side, side);
        }
        return oneHot(n, CHARS, STEPS, new java.util.Random(seed));
    }

    private static INDArray oneHot(int n, int classes, int steps, java.util.Random r) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, classes, steps);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                x.putScalar(new int[] {i, r.nextInt(classes), t}, 1.0);
            }
        }
        return x;
    }

    /** @return median wall seconds of one fit step of a batch of 8 random examples (one warm-up step first) */
    private static double stepSeconds(Model net, String name, int steps) {
        INDArray x = inputs(name, 8, 8);
        INDArray y;
        if (name.equals("TextGenerationLSTM")) {
            y = oneHot(8, CHARS, STEPS, new java.util.Random(9));
        } else if (name.endsWith("YOLO") || name.equals("YOLO2")) {
            // boxes [8, 4 + 2, 1, 1] (grid 1 x 1 at these inputs): one per image, corners (0.1, 0.1) and (0.9, 0.9)
            // in grid units, class i % 2, as in the zoo sweep
            y = Nd4j.zeros(DataType.FLOAT, 8, 6, 1, 1);
            for (int i = 0; i < 8; i++) {
                y.putScalar(new long[] {i, 0, 0, 0}, 0.1);
                y.putScalar(new long[] {i, 1, 0, 0}, 0.1);
                y.putScalar(new long[] {i, 2, 0, 0}, 0.9);
                y.putScalar(new long[] {i, 3, 0, 0}, 0.9);
                y.putScalar(new long[] {i, 4 + i % 2, 0, 0}, 1.0);
            }
        } else {
            y = Nd4j.zeros(DataType.FLOAT, 8, 2);
            for (int i = 0; i < 8; i++) {
                y.putScalar(i, i % 2, 1.0);
            }
        }
        DataSet d = new DataSet(x, y);
        net.addListeners(new LossFeedListener());
        fit(net, d);
        double[] t = new double[steps];
        for (int s = 0; s < steps; s++) {
            long w0 = System.nanoTime();
            fit(net, d);
            t[s] = (System.nanoTime() - w0) / 1e9;
        }
        return median(t);
    }

    private static void fit(Model net, DataSet d) {
        if (net instanceof MultiLayerNetwork m) {
            m.fit(d);
        } else {
            ((ComputationGraph) net).fit(d);
        }
    }
}
