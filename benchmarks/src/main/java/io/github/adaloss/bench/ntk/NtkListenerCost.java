package io.github.adaloss.bench.ntk;

import static io.github.adaloss.bench.common.RoundStats.median;
import static io.github.adaloss.bench.common.RoundStats.quotients;
import static io.github.adaloss.bench.common.RoundStats.stats;
import static io.github.adaloss.bench.common.RoundStats.summary;

import io.github.adaloss.bench.common.BenchmarkMlp;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.listener.NtkSpectrumListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.zoo.model.LeNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Cost of {@link io.github.adaloss.ntk.listener.NtkSpectrumListener} relative to training, and of the structured
 * convolutional NTK path relative to the generic one, as ratios measured side by side in one JVM (alternating
 * calls, medians with [min, max], wall time and the calling thread's CPU time; with {@code OMP_NUM_THREADS=1} all
 * ND4J/OpenBLAS work runs in the calling thread, so CPU time does not count other processes on a shared machine).
 *
 * <ol>
 *   <li>Structured vs generic NTK on the zoo LeNet (FLOAT, 28x28x1, 10 classes), trace kernel of n probe images
 *       (third argument, default 64); and the structured path at n = 256 (the generic path at n = 256 only with the
 *       fourth argument {@code true}: about 2 560 single-example backward passes plus a (n k)^2 P product with
 *       P = 431 080, and Jacobian tiles of 34 MB per example).</li>
 *   <li>Listener overhead: one snapshot (the listener's own {@code onGradientCalculation}, AUTO path, spectrum
 *       included) against one training iteration ({@code fit} of a batch of 128, Nesterovs), alternating. With a
 *       snapshot every N iterations the overhead is {@code snapshot / (N iteration)}; printed for N = 100 and for the
 *       default N = 10. Networks: LeNet with a 64-image probe; the MLP 784-1024-1024-10 (ReLU, softmax, FLOAT) with
 *       a 256-example probe; the sequence classifier of DL4J's {@code UCISequenceClassification} example (LSTM 1 ->
 *       10, tanh, RnnOutputLayer 10 -> 6, softmax, FLOAT, Nadam 1e-3, batch 10 of 60-step series, as published)
 *       with probes of 10 and 32 series (trace kernel over its 6 x 60 = 360 outputs per series; the structured
 *       recurrent path).</li>
 * </ol>
 * Usage: {@code OMP_NUM_THREADS=1 java -Xmx6g -cp benchmarks/target/adaloss-benchmarks.jar
 * io.github.adaloss.bench.ntk.NtkListenerCost [rounds] [genericRounds] [genericN] [generic256] [genericBudgetGiB]}
 * (defaults 5, 2, 64, false, a quarter of the heap; genericRounds 0 skips part 1). The generic path keeps two
 * tiles of Jacobian rows (k P doubles per example, 34.5 MB on LeNet) in its budget and recomputes the second tile
 * for every tile pair, so at n = 256 give it about 9 GiB of off-heap memory (two tiles of 128 examples) with
 * {@code -Dorg.bytedeco.javacpp.maxbytes}.
 */
public final class NtkListenerCost {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private NtkListenerCost() {
    }

    /** @param args rounds, generic rounds, whether to time the generic path at n = 256 */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int genericRounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int genericN = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        boolean generic256 = args.length > 3 && Boolean.parseBoolean(args[3]);
        long genericBudget = args.length > 4 ? (long) (Double.parseDouble(args[4]) * (1L << 30))
                : Runtime.getRuntime().maxMemory() / 4;
        Nd4j.getRandom().setSeed(1);
        MultiLayerNetwork lenet = (MultiLayerNetwork) LeNet.builder().numClasses(10).seed(2)
                .updater(new Nesterovs(1e-3, 0.9)).build().init();
        INDArray images = Nd4j.rand(DataType.FLOAT, 256, 784);
        INDArray probe64 = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray probeGeneric = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, genericN),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        if (genericRounds > 0) {
            structuredVsGeneric(lenet, probeGeneric, images, genericRounds, generic256, genericBudget);
        }
        DataSet lenetBatch = BenchmarkMlp.batch(128);
        overhead("LeNet (zoo, FLOAT), batch 128, probe 64", lenet, lenetBatch, probe64, rounds);
        MultiLayerNetwork mlp = BenchmarkMlp.classifier(3, new Nesterovs(1e-3, 0.9), WeightInit.RELU);
        DataSet mlpBatch = BenchmarkMlp.batch(128);
        overhead("MLP 784-1024-1024-10 (FLOAT), batch 128, probe 256", mlp, mlpBatch,
                Nd4j.rand(DataType.FLOAT, 256, 784), rounds);
        for (int probe : new int[] {10, 32}) {
            overhead("UCI sequence classifier LSTM(10) + RnnOutputLayer(6) (FLOAT), 60 steps, batch 10, probe " + probe,
                    sequenceClassifier(), sequences(10, 2), sequences(probe, 3).getFeatures(), rounds);
        }
    }

    /** The network of DL4J's UCISequenceClassification example, as published (FLOAT). */
    private static MultiLayerNetwork sequenceClassifier() {
        MultiLayerNetwork net = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(123).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .updater(new org.nd4j.linalg.learning.config.Nadam())
                .gradientNormalization(org.deeplearning4j.nn.conf.GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(0.5).list()
                .layer(new org.deeplearning4j.nn.conf.layers.LSTM.Builder().activation(
                        org.nd4j.linalg.activations.Activation.TANH).nIn(1).nOut(10).build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).nIn(10).nOut(6).build())
                .build());
        net.init();
        return net;
    }

    /** @return n random 60-step series [n, 1, 60] with a random class at every step [n, 6, 60] */
    private static DataSet sequences(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 1, 60);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 6, 60);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(6);
            for (int t = 0; t < 60; t++) {
                y.putScalar(new int[] {i, c, t}, 1.0);
            }
        }
        return new DataSet(x, y);
    }

    private static void structuredVsGeneric(MultiLayerNetwork lenet, INDArray probe64, INDArray images,
                                            int genericRounds, boolean generic256, long genericBudget) {
        int n = (int) probe64.rows();
        EmpiricalNtk structured = EmpiricalNtk.builder(lenet).method(EmpiricalNtk.Method.STRUCTURED).build();
        EmpiricalNtk generic = EmpiricalNtk.builder(lenet).method(EmpiricalNtk.Method.GENERIC)
                .memoryBudgetBytes(genericBudget).build();
        // warm-up, and the agreement of the two paths on this network (the generic path runs in FLOAT)
        INDArray s = structured.compute(probe64);
        INDArray g = generic.compute(probe64);
        double rel = s.sub(g).norm2Number().doubleValue() / s.norm2Number().doubleValue();
        double[][] wall = new double[2][genericRounds];
        double[][] cpu = new double[2][genericRounds];
        for (int r = 0; r < genericRounds; r++) {
            time(() -> structured.compute(probe64), wall[0], cpu[0], r);
            time(() -> generic.compute(probe64), wall[1], cpu[1], r);
        }
        System.out.printf(Locale.ROOT, "| LeNet trace NTK, %d alternating rounds (median [min, max]) | wall ms | "
                + "thread CPU ms |%n|---|---:|---:|%n", genericRounds);
        System.out.printf(Locale.ROOT, "| structured, n = %d | %s | %s |%n", n, stats(wall[0]), stats(cpu[0]));
        System.out.printf(Locale.ROOT, "| generic, n = %d | %s | %s |%n", n, stats(wall[1]), stats(cpu[1]));
        System.out.printf(Locale.ROOT, "| **generic / structured**, n = %d (per-round ratio) | %s | %s |%n", n,
                ratio(wall[1], wall[0]), ratio(cpu[1], cpu[0]));
        System.out.printf(Locale.ROOT, "| relative Frobenius difference structured vs generic (FLOAT) | %.1e | |%n",
                rel);
        double[][] w256 = new double[2][genericRounds];
        double[][] c256 = new double[2][genericRounds];
        structured.compute(images);
        for (int r = 0; r < genericRounds; r++) {
            time(() -> structured.compute(images), w256[0], c256[0], r);
            if (generic256) {
                time(() -> generic.compute(images), w256[1], c256[1], r);
            }
        }
        System.out.printf(Locale.ROOT, "| structured, n = 256 | %s | %s |%n", stats(w256[0]), stats(c256[0]));
        if (generic256) {
            System.out.printf(Locale.ROOT, "| generic, n = 256 | %s | %s |%n", stats(w256[1]), stats(c256[1]));
            System.out.printf(Locale.ROOT, "| **generic / structured**, n = 256 | %s | %s |%n",
                    ratio(w256[1], w256[0]), ratio(c256[1], c256[0]));
        }
    }

    private static void overhead(String name, MultiLayerNetwork net, DataSet batch, INDArray probe, int rounds) {
        NtkSpectrumListener listener = NtkSpectrumListener.builder(probe).everyIterations(1).atEpochEnd(false).build();
        String path = EmpiricalNtk.builder(net).build().method().toString();
        net.fit(batch);
        net.fit(batch);
        listener.onGradientCalculation(net); // binds: H(0)
        listener.onGradientCalculation(net);
        double[][] wall = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            time(() -> {
                net.fit(batch);
                return null;
            }, wall[0], cpu[0], r);
            time(() -> {
                listener.onGradientCalculation(net);
                return null;
            }, wall[1], cpu[1], r);
        }
        System.out.printf(Locale.ROOT, "%n| %s, %d alternating rounds (median [min, max]) | wall ms | thread CPU ms |"
                + "%n|---|---:|---:|%n", name, rounds);
        System.out.printf(Locale.ROOT, "| training iteration | %s | %s |%n", stats(wall[0]), stats(cpu[0]));
        System.out.printf(Locale.ROOT, "| listener snapshot (%s path + spectrum) | %s | %s |%n", path, stats(wall[1]),
                stats(cpu[1]));
        for (int every : new int[] {100, 10}) {
            System.out.printf(Locale.ROOT, "| **overhead, a snapshot every %d iterations** (snapshot / (%d iterations)) "
                    + "| %s | %s |%n", every, every, percent(wall[1], wall[0], every), percent(cpu[1], cpu[0], every));
        }
    }

    private static void time(java.util.function.Supplier<Object> f, double[] wall, double[] cpu, int r) {
        long w0 = System.nanoTime();
        long c0 = MX.getCurrentThreadCpuTime();
        Object o = f.get();
        cpu[r] = (MX.getCurrentThreadCpuTime() - c0) / 1e6;
        wall[r] = (System.nanoTime() - w0) / 1e6;
        if (o instanceof INDArray a && a.closeable()) {
            a.close();
        }
    }

    private static String ratio(double[] num, double[] den) {
        return summary("%.1fx [%.1f, %.1f]", quotients(num, den, 1, 1));
    }

    private static String percent(double[] snapshot, double[] iteration, int every) {
        return summary("%.1f%% [%.1f, %.1f]", quotients(snapshot, iteration, 100, every));
    }
}
