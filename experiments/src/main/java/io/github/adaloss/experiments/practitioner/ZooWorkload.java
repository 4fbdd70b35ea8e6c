package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.Xception;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A deep model of DL4J's zoo ({@code deeplearning4j-zoo} 1.0.0-M2.1) built by its own builder as published
 * (architecture, initialization, BatchNormalization, the zoo's default updater as the "published" one) with ten
 * classes, trained for a few hundred steps on Fashion-MNIST (issue 22, item 4): the deep models on which AdaLoss at its
 * defaults raised the loss over the zoo sweep's six steps ({@code docs/zoo.md}).
 *
 * <p>Changed from the zoo: the input is {@value #SIDE}x{@value #SIDE}x3 (the smallest the sweep found every one of
 * these models to accept; Fashion-MNIST's 28x28 gray images are nearest-neighbour resized and the channel repeated),
 * the batch is {@value #BATCH} (the zoo sets none), and SimpleCNN's top {@code ActivationLayer}, which {@code fit}
 * refuses, is replaced by a softmax {@code LossLayer} with MCXENT (as in the sweep). Budget: one epoch of the first
 * training images (a few hundred updates); the test set is the first test images, resized the same way.
 */
public final class ZooWorkload extends FashionMnistWorkload {

    /** Input side (pixels) of the resized images. */
    public static final int SIDE = 16;
    /** Input channels (the gray channel repeated). */
    public static final int CHANNELS = 3;
    /** Mini-batch size. */
    public static final int BATCH = 8;

    /** The zoo models of this workload, by configuration id. */
    public static final Map<String, String> MODELS = Map.of("darknet19", "Darknet19", "simplecnn", "SimpleCNN",
            "xception", "Xception");

    private final String id;
    private IUpdater published;

    /**
     * @param id     one of the keys of {@link #MODELS}
     * @param dir    Fashion-MNIST folder
     * @param budget training budget
     */
    public ZooWorkload(String id, Path dir, Budget budget) {
        super(dir, budget, BATCH, true);
        if (!MODELS.containsKey(id)) {
            throw new IllegalArgumentException("unknown zoo configuration '" + id + "' (one of " + MODELS.keySet() + ")");
        }
        this.id = id;
    }

    /**
     * @param seed the zoo builder's seed
     * @param u    the updater, or null for the builder's own default
     * @return the zoo model, initialized
     */
    private Model zoo(long seed, IUpdater u) {
        int[] chw = {CHANNELS, SIDE, SIDE};
        int k = FashionMnist.CLASSES;
        return switch (id) {
            case "darknet19" -> {
                Darknet19.Darknet19Builder b = Darknet19.builder().numClasses(k).seed(seed).inputShape(chw);
                yield (u == null ? b : b.updater(u)).build().init();
            }
            case "xception" -> {
                Xception.XceptionBuilder b = Xception.builder().numClasses(k).seed(seed).inputShape(chw);
                yield (u == null ? b : b.updater(u)).build().init();
            }
            case "simplecnn" -> simpleCnn(k, seed, chw, u);
            default -> throw new IllegalStateException(id);
        };
    }

    /** SimpleCNN ends in an ActivationLayer, which fit refuses: the top becomes a LossLayer (softmax, MCXENT). */
    private static Model simpleCnn(int classes, long seed, int[] chw, IUpdater u) {
        SimpleCNN.SimpleCNNBuilder b = SimpleCNN.builder().numClasses(classes).seed(seed).inputShape(chw);
        MultiLayerNetwork zoo = (MultiLayerNetwork) (u == null ? b.build() : b.updater(u).build()).init();
        if (u == null) {
            return zoo;
        }
        return new TransferLearning.Builder(zoo)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(u).seed(seed).build())
                .removeLayersFromOutput(1)
                .addLayer(new LossLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String source() {
        return "DL4J zoo " + MODELS.get(id) + " (deeplearning4j-zoo 1.0.0-M2.1, its builder as published, 10 classes"
                + ("simplecnn".equals(id) ? ", top ActivationLayer replaced by a softmax LossLayer" : "")
                + ") on Fashion-MNIST resized to " + CHANNELS + "x" + SIDE + "x" + SIDE + ", batch " + BATCH + "; "
                + budget.trainExamples() + " training images x " + budget.epochs() + " epoch(s) = "
                + budget.updates(BATCH) + " updates, " + budget.testExamples() + " test images";
    }

    @Override
    public boolean heavy() {
        return true;
    }

    /** @return the updater the zoo's builder sets when none is given (read from the built model's first layer) */
    @Override
    public synchronized IUpdater publishedUpdater() {
        if (published == null) {
            Model m = zoo(0, null);
            Layer[] layers = m instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) m).getLayers();
            for (Layer l : layers) {
                if (l.conf().getLayer() instanceof BaseLayer b && b.getIUpdater() != null) {
                    published = b.getIUpdater().clone();
                    break;
                }
            }
            if (published == null) {
                throw new IllegalStateException("the zoo's " + MODELS.get(id) + " has no layer with an updater");
            }
        }
        return published;
    }

    @Override
    public Model build(IUpdater updater, long seed) {
        return zoo(seed, Objects.requireNonNull(updater, "updater"));
    }

    @Override
    protected DataSet transform(DataSet images) {
        return new DataSet(resized(images.getFeatures()), images.getLabels());
    }

    /**
     * @param x images {@code [n, 1, h, w]}
     * @return {@code [n, CHANNELS, SIDE, SIDE]}: nearest-neighbour resized (source pixel {@code floor(i h / SIDE)}),
     *         the gray channel repeated, float
     */
    static INDArray resized(INDArray x) {
        long n = x.size(0);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        float[] src = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] dst = new float[(int) (n * CHANNELS * SIDE * SIDE)];
        int plane = SIDE * SIDE;
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < SIDE; i++) {
                int si = i * h / SIDE;
                for (int j = 0; j < SIDE; j++) {
                    float v = src[e * h * w + si * w + j * w / SIDE];
                    for (int c = 0; c < CHANNELS; c++) {
                        dst[(e * CHANNELS + c) * plane + i * SIDE + j] = v;
                    }
                }
            }
        }
        return Nd4j.create(dst, new long[] {n, CHANNELS, SIDE, SIDE}, 'c');
    }
}
