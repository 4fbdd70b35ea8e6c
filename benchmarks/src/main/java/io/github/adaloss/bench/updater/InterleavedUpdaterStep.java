package io.github.adaloss.bench.updater;

import static io.github.adaloss.bench.common.RoundStats.max;
import static io.github.adaloss.bench.common.RoundStats.median;
import static io.github.adaloss.bench.common.RoundStats.medianInterval;
import static io.github.adaloss.bench.common.RoundStats.min;

import io.github.adaloss.bench.common.BenchmarkMlp;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdamLoss;
import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.HeavyBall;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.Recovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The updater step measured side by side in one JVM: one 784-1024-1024-10 MLP (ReLU, softmax, FLOAT, batch 128)
 * per updater, all built from the same seed; each round trains every network for {@code --iters} iterations on
 * the same fixed mini-batch, in an order rotated from round to round, and records its milliseconds per
 * iteration. The first {@code --warmup} rounds are discarded. Printed: per updater the median, minimum and maximum
 * over the rounds, the ratio of medians to Sgd, and the median (with range) of the per-round ratios to Sgd, which
 * pairs measurements taken seconds apart and so cancels most of the load of a shared machine; AdamLoss is also
 * compared with Adam. The AdaLoss-family networks carry the loss feed (with its default step recovery, so the
 * snapshot every 10 steps is included); their recoveries are counted and printed (0 expected: the learning rates
 * are small). A second AdaLoss network with a fail-fast feed (no snapshots) separates the snapshot's cost from the
 * rest. Two tables: wall time, and the calling thread's CPU time; each with a distribution-free 95% confidence
 * interval of the median per-round ratio. Run with {@code OMP_NUM_THREADS=1}:
 * <pre>
 *   OMP_NUM_THREADS=1 java -cp benchmarks/target/adaloss-benchmarks.jar \
 *       io.github.adaloss.bench.updater.InterleavedUpdaterStep [--rounds 9] [--iters 20] [--warmup 2]
 * </pre>
 */
public final class InterleavedUpdaterStep {

    private InterleavedUpdaterStep() {
    }

    static Map<String, IUpdater> updaters() {
        Map<String, IUpdater> m = new LinkedHashMap<>();
        m.put("Sgd", new Sgd(1e-3));
        m.put("AdaLoss", new AdaLoss(1e-2, 1.0));
        m.put(FAIL_FAST, new AdaLoss(1e-2, 1.0));
        m.put("AdaGradNorm", new AdaGradNorm(1e-2, 1.0));
        m.put("AdamLoss", new AdamLoss(1e-4, 1.0));
        m.put("HeavyBall", new HeavyBall(1e-3, 0.9));
        m.put("Adam", new Adam(1e-4));
        return m;
    }

    /** AdaLoss with {@code LossFeedListener(Recovery.failFast())}: no snapshots, so the pair isolates their cost. */
    static final String FAIL_FAST = "AdaLoss, failFast feed";

    static MultiLayerNetwork network(String name, IUpdater u) {
        MultiLayerNetwork net = BenchmarkMlp.classifier(42, u, null);
        if (u instanceof AdaLoss || u instanceof AdaGradNorm || u instanceof AdamLoss || u instanceof HeavyBall) {
            net.addListeners(name.equals(FAIL_FAST) ? new LossFeedListener(Recovery.failFast()) : new LossFeedListener());
        }
        return net;
    }

    static DataSet batch() {
        Nd4j.getRandom().setSeed(42);
        return BenchmarkMlp.batch(128);
    }

    /**
     * @param args {@code --rounds N} (default 9), {@code --iters N} per network and round (default 20),
     *             {@code --warmup N} discarded rounds (default 2)
     */
    public static void main(String[] args) {
        int rounds = 9;
        int iters = 20;
        int warmup = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--rounds" -> rounds = v;
                case "--iters" -> iters = v;
                case "--warmup" -> warmup = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Map<String, IUpdater> configs = updaters();
        List<String> names = new ArrayList<>(configs.keySet());
        Map<String, MultiLayerNetwork> nets = new LinkedHashMap<>();
        configs.forEach((k, v) -> nets.put(k, network(k, v)));
        DataSet ds = batch();
        Map<String, double[]> ms = new LinkedHashMap<>();
        Map<String, double[]> cpu = new LinkedHashMap<>();
        final int nRounds = rounds;
        names.forEach(n -> ms.put(n, new double[nRounds]));
        names.forEach(n -> cpu.put(n, new double[nRounds]));
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = -warmup; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(Math.floorMod(k + r, names.size()));
                MultiLayerNetwork net = nets.get(name);
                long t0 = System.nanoTime();
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < iters; i++) {
                    net.fit(ds);
                }
                double perIter = (System.nanoTime() - t0) / 1e6 / iters;
                double cpuPerIter = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / iters;
                if (r >= 0) {
                    ms.get(name)[r] = perIter;
                    cpu.get(name)[r] = cpuPerIter;
                }
            }
        }
        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, %d rounds x %d iterations per updater (after %d warm-up "
                + "rounds), MLP 784-1024-1024-10 FLOAT, batch 128%n", System.getenv("OMP_NUM_THREADS"), rounds, iters,
                warmup);
        table("wall time", names, ms, nets, rounds);
        table("calling thread's CPU time (with OMP_NUM_THREADS=1 all of ND4J's work; the time other processes hold "
                + "the core is not counted)", names, cpu, nets, rounds);
        for (Map<String, double[]> t : List.of(ms, cpu)) {
            double[] ratio = ratios(t.get("AdamLoss"), t.get("Adam"));
            System.out.printf(Locale.ROOT, "AdamLoss / Adam (%s): ratio of medians %.3f, per-round median %.3f [%.3f, "
                    + "%.3f]%n", t == ms ? "wall" : "CPU", median(t.get("AdamLoss")) / median(t.get("Adam")),
                    median(ratio), min(ratio), max(ratio));
        }
    }

    private static void table(String what, List<String> names, Map<String, double[]> t,
                              Map<String, MultiLayerNetwork> nets, int rounds) {
        System.out.printf(Locale.ROOT, "%n%s%n", what);
        System.out.println("| updater | median ms/iter | min | max | ratio of medians to Sgd | per-round ratio to Sgd: "
                + "median [min, max] | 95% CI of that median | recoveries |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        double[] sgd = t.get("Sgd");
        for (String n : names) {
            double[] a = t.get(n);
            double[] ratio = ratios(a, sgd);
            double[] ci = medianInterval(ratio);
            String rec = AdaptiveSteps.recoveries(nets.get(n)).isPresent()
                    ? String.valueOf(AdaptiveSteps.recoveries(nets.get(n)).getAsLong()) : "-";
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.3f | %.3f [%.3f, %.3f] | [%.3f, %.3f] | %s |%n",
                    n, median(a), min(a), max(a), median(a) / median(sgd), median(ratio), min(ratio), max(ratio),
                    ci[0], ci[1], rec);
        }
    }

    private static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

}
