package io.github.adaloss.bench.updater;

import io.github.adaloss.bench.common.BenchmarkMlp;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdamLoss;
import io.github.adaloss.updater.HeavyBall;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training iteration ({@code fit} on one mini-batch: forward, backward, updater, parameter step) of a
 * 784-1024-1024-10 MLP (1.86M parameters, FLOAT) at batch 128, for each updater; the loss feed is attached for
 * every updater so that the listener's cost is included. Report: average time per iteration; the README shows
 * each updater's time as a ratio to {@code Sgd} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(2)
public class TrainingStepBenchmark {

    /** The updater under test. */
    @Param({"Sgd", "AdaLoss", "AdaGradNorm", "HeavyBall", "Adam", "AdamLoss"})
    public String updater;

    private MultiLayerNetwork net;
    private DataSet batch;

    static IUpdater create(String name) {
        return switch (name) {
            case "Sgd" -> new Sgd(1e-3);
            case "AdaLoss" -> new AdaLoss(1e-2, 1.0);
            case "AdaGradNorm" -> new AdaGradNorm(1e-2, 1.0);
            case "HeavyBall" -> new HeavyBall(1e-3, 0.9);
            case "Adam" -> new Adam(1e-4);
            case "AdamLoss" -> new AdamLoss(1e-4, 1.0);
            default -> throw new IllegalArgumentException("updater: unknown name " + name);
        };
    }

    /** Builds the network and one fixed mini-batch. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getRandom().setSeed(42);
        net = BenchmarkMlp.classifier(42, create(updater), null);
        net.addListeners(new LossFeedListener());
        batch = BenchmarkMlp.batch(128);
    }

    /** @return the score, so that the work cannot be optimized away */
    @Benchmark
    public double trainingIteration() {
        net.fit(batch);
        return net.score();
    }
}
