package io.github.adaloss.experiments.realdata;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.Recovery;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.NonFiniteValueException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.LeNet;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Robustness on real classifiers (the paper used CIFAR-100 with pretrained networks, which cannot be downloaded
 * here): final accuracy of AdaLoss and AdaGrad-Norm over {@code b0} (one learning rate for all b0), and of Adam and
 * SGD over the learning rate, each grid spanning six decades, mean and spread over seeds.
 * <ul>
 *   <li>Iris: a 4-16-3 MLP, full batch (150 examples), 200 iterations, training-set accuracy; AdaLoss and
 *       AdaGrad-Norm at the library's default learning rate; grids of four values, {@link #SEEDS} seeds.</li>
 *   <li>Fashion-MNIST (when its files are present): the zoo LeNet, AdaLoss and AdaGrad-Norm at
 *       {@link #LENET_ETA} (the default 10 blows LeNet up: 10% accuracy), grids of three values, accuracy on the
 *       first 1000 test images. Default budget: the first 512 training images, mini-batches of 32, one epoch (16
 *       updates: LeNet costs about 0.4 s per update on one core); {@code --full}: 4096 images, mini-batches of 64,
 *       three epochs (192 updates). At the default budget the table measures how fast each setting starts to
 *       learn, not final accuracy.</li>
 * </ul>
 */
public final class RealDataExperiment {

    /** Experiment name of the Iris runs. */
    public static final String IRIS = "iris";
    /** Experiment name of the Fashion-MNIST runs. */
    public static final String FASHION = "fashion-mnist";
    /** Seeds per grid point. */
    public static final int SEEDS = 2;

    private RealDataExperiment() {
    }

    /** AdaLoss / AdaGrad-Norm learning rate of the LeNet runs. */
    public static final double LENET_ETA = 1;

    private record Family(String name, String parameter, double[] grid, DoubleFunction<IUpdater> updater) {
    }

    private static List<Family> irisFamilies() {
        double[] b0 = {1e-3, 1e-1, 1e1, 1e3};
        double[] lr = {1e-4, 1e-2, 1e0, 1e2};
        return List.of(
                new Family("AdaLoss", "b0", b0, v -> new AdaLoss(AdaLoss.DEFAULT_LEARNING_RATE, v)),
                new Family("AdaGradNorm", "b0", b0, v -> new AdaGradNorm(AdaGradNorm.DEFAULT_LEARNING_RATE, v)),
                new Family("Adam", "lr", lr, Adam::new),
                new Family("SGD", "lr", lr, Sgd::new));
    }

    private static List<Family> lenetFamilies() {
        double[] b0 = {1e-3, 1e0, 1e3};
        double[] lr = {1e-4, 1e-2, 1e0};
        return List.of(
                new Family("AdaLoss", "b0", b0, v -> new AdaLoss(LENET_ETA, v)),
                new Family("AdaGradNorm", "b0", b0, v -> new AdaGradNorm(LENET_ETA, v)),
                new Family("Adam", "lr", lr, Adam::new),
                new Family("SGD", "lr", lr, Sgd::new));
    }

    private static int count(List<Family> families) {
        return families.stream().mapToInt(f -> f.grid().length).sum() * SEEDS;
    }

    /** @return number of Iris runs */
    public static int irisRunCount() {
        return count(irisFamilies());
    }

    /** @return number of Fashion-MNIST runs */
    public static int fashionRunCount() {
        return count(lenetFamilies());
    }

    /** @return Iris results */
    public static List<RunResult> iris(Options o, Progress progress) throws IOException {
        DataSet ds = Datasets.iris();
        return sweep(IRIS, irisFamilies(), o, progress, (u, seed) -> {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).updater(u)
                    .list()
                    .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .build());
            net.init();
            return net;
        }, List.of(ds), 200, ds);
    }

    /** @return Fashion-MNIST results */
    public static List<RunResult> fashionMnist(Options o, Progress progress) throws IOException {
        DataSet train = Datasets.fashionMnist(o.data(), true, o.full() ? 4096 : 512);
        DataSet test = Datasets.fashionMnist(o.data(), false, 1000);
        List<DataSet> batches = train.batchBy(o.full() ? 64 : 32);
        int epochs = o.full() ? 3 : 1;
        return sweep(FASHION, lenetFamilies(), o, progress, (u, seed) -> {
            MultiLayerNetwork net = (MultiLayerNetwork) LeNet.builder().numClasses(10).seed(seed).updater(u)
                    .inputShape(new int[] {1, 28, 28}).build().init();
            return net;
        }, batches, epochs * batches.size(), test);
    }

    private interface NetFactory {
        MultiLayerNetwork create(IUpdater updater, long seed);
    }

    private static List<RunResult> sweep(String experiment, List<Family> families, Options o, Progress progress,
                                         NetFactory factory,
                                         List<DataSet> batches, int iterations, DataSet evaluation) {
        List<RunResult> results = new ArrayList<>();
        for (Family f : families) {
            for (double v : f.grid()) {
                for (int s = 0; s < SEEDS; s++) {
                    long seed = o.seed() + s;
                    MultiLayerNetwork net = factory.create(f.updater().apply(v), seed);
                    net.setListeners(new LossFeedListener(Recovery.failFast()));
                    double[] loss = new double[iterations + 1];
                    double[] b = new double[iterations + 1];
                    b[0] = AdaptiveSteps.accumulator(net).orElse(Double.NaN);
                    boolean diverged = false;
                    int t = 0;
                    while (t < iterations && !diverged) {
                        try {
                            net.fit(batches.get(t % batches.size()));
                            loss[t] = net.score();
                            if (Double.isFinite(loss[t])) {
                                t++;
                                b[t] = AdaptiveSteps.accumulator(net).orElse(Double.NaN);
                            } else {
                                diverged = true;
                            }
                        } catch (NonFiniteValueException e) {
                            loss[t] = Double.NaN;
                            diverged = true;
                        }
                    }
                    if (!diverged) {
                        loss[t] = net.score(batches.get(t % batches.size()));
                    }
                    double accuracy = diverged ? Double.NaN : Trainer.accuracy(net, evaluation);
                    RunResult r = new RunResult(experiment, f.name(), f.parameter(), v, 0, seed,
                            java.util.Arrays.copyOf(loss, t + 1), java.util.Arrays.copyOf(b, t + 1), diverged,
                            diverged ? 0 : accuracy);
                    results.add(r);
                    progress.step(experiment + " " + r.label() + " seed " + seed + ": accuracy "
                            + io.github.adaloss.experiments.run.Formats.number(r.accuracy()));
                }
            }
        }
        return results;
    }
}
