package io.github.adaloss.bench.updater;

import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdamLoss;
import io.github.adaloss.updater.HeavyBall;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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
            case "AdaLoss" -> new AdaLoss();
            case "AdaGradNorm" -> new AdaGradNorm();
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
        net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT)
                .updater(create(updater)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1024).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.addListeners(new LossFeedListener());
        INDArray x = Nd4j.rand(DataType.FLOAT, 128, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 128, 10);
        for (int i = 0; i < 128; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        batch = new DataSet(x, y);
    }

    /** @return the score, so that the work cannot be optimized away */
    @Benchmark
    public double trainingIteration() {
        net.fit(batch);
        return net.score();
    }
}
