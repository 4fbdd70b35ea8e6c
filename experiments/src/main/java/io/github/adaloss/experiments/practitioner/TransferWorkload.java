package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Fine-tuning a trained network with a new head, the recipe of deeplearning4j-examples'
 * {@code transferlearning/vgg16/EditLastLayerOthersFrozen.java}: {@code FineTuneConfiguration} with
 * {@code new Nesterovs(5e-5)} and the seed (note: that one-argument constructor is {@code Nesterovs(double momentum)},
 * so the published fine-tuning updater is learning rate 0.1, ND4J's default, with momentum 5e-5; it is used as
 * written), {@code setFeatureExtractor(...)} (everything below the head
 * frozen), the old output layer removed and a new {@code OutputLayer} (SOFTMAX, NEGATIVELOGLIKELIHOOD) initialized
 * from {@code NormalDistribution(0, 0.2 * (2.0 / (nIn + numClasses)))}, batch 15. Changed: the base network is the
 * {@link MlpWorkload} MLP (784-1000-10) pretrained here with its own published updater on Fashion-MNIST classes 0-4
 * ({@link #PRETRAIN_EXAMPLES} images of the first ones, one epoch), instead of VGG16 on ImageNet; the new head
 * classifies classes 5-9; and the budget.
 */
public final class TransferWorkload implements Workload {

    /** Published fine-tuning batch size. */
    public static final int BATCH = 15;
    /** Classes of the new task. */
    public static final int NEW_CLASSES = 5;
    /** Images (of classes 0-4) scanned for pretraining. */
    public static final int PRETRAIN_EXAMPLES = 6000;

    private final Path dir;
    private final Budget budget;
    private final Map<Long, MultiLayerNetwork> pretrained = new HashMap<>();

    /**
     * @param dir    Fashion-MNIST folder
     * @param budget fine-tuning budget (examples of classes 5-9)
     */
    public TransferWorkload(Path dir, Budget budget) {
        this.dir = dir;
        this.budget = budget;
    }

    @Override
    public String id() {
        return "transfer";
    }

    @Override
    public String source() {
        return "EditLastLayerOthersFrozen (deeplearning4j-examples transfer learning): FineTuneConfiguration "
                + "new Nesterovs(5e-5) (= learning rate 0.1, momentum 5e-5), frozen feature extractor, new softmax "
                + "head N(0, 0.2*2/(nIn+nOut)) init, batch 15; "
                + "base = the MNISTSingleLayer MLP pretrained on Fashion-MNIST classes 0-4, head fine-tuned on 5-9, "
                + budget.trainExamples() + " images x " + budget.epochs() + " epoch(s) = " + budget.updates(BATCH)
                + " updates";
    }

    @Override
    public boolean regression() {
        return false;
    }

    @Override
    public boolean heavy() {
        return false;
    }

    @Override
    public IUpdater publishedUpdater() {
        return new Nesterovs(5e-5);
    }

    /**
     * @param base    the pretrained network (not modified)
     * @param updater the fine-tuning updater
     * @param seed    seed of the fine-tuning configuration (initializes the new head)
     * @return the network with a frozen feature extractor (layer 0) and a new 5-class head
     */
    public static MultiLayerNetwork fineTune(MultiLayerNetwork base, IUpdater updater, long seed) {
        int nIn = MlpWorkload.HIDDEN;
        FineTuneConfiguration ft = new FineTuneConfiguration.Builder().updater(updater).seed(seed).build();
        return new TransferLearning.Builder(base.clone())
                .fineTuneConfiguration(ft)
                .setFeatureExtractor(0)
                .removeOutputLayer()
                .addLayer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nIn(nIn).nOut(NEW_CLASSES)
                        .weightInit(new NormalDistribution(0, 0.2 * (2.0 / (nIn + NEW_CLASSES))))
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    @Override
    public Model build(IUpdater updater, long seed) throws IOException {
        return fineTune(base(seed), updater, seed);
    }

    /**
     * @param seed seed of the base network and of its pretraining order
     * @return the MLP trained with its published updater on classes 0-4 (cached per seed)
     * @throws IOException if Fashion-MNIST cannot be read
     */
    public synchronized MultiLayerNetwork base(long seed) throws IOException {
        MultiLayerNetwork net = pretrained.get(seed);
        if (net == null) {
            DataSet first = classes(FashionMnist.load(dir, true, PRETRAIN_EXAMPLES), 0, false);
            net = Workload.initialized(MlpWorkload.configuration(new Nesterovs(0.006, 0.9), seed));
            for (DataSet b : Batches.shuffled(first, MlpWorkload.BATCH, 1, seed)) {
                net.fit(b);
            }
            pretrained.put(seed, net);
        }
        return net;
    }

    @Override
    public Data data(long seed) throws IOException {
        // classes 5-9 of the first images after the pretraining range, re-labelled 0-4
        DataSet pool = FashionMnist.load(dir, true, PRETRAIN_EXAMPLES + 2 * budget.trainExamples() + 200);
        DataSet later = Batches.rows(pool, PRETRAIN_EXAMPLES, pool.numExamples());
        DataSet train = classes(later, NEW_CLASSES, true);
        train = Batches.rows(train, 0, Math.min(train.numExamples(), budget.trainExamples()));
        DataSet test = classes(FashionMnist.load(dir, false, 2 * budget.testExamples() + 200), NEW_CLASSES, true);
        test = Batches.rows(test, 0, Math.min(test.numExamples(), budget.testExamples()));
        return new Data(Batches.shuffled(train, BATCH, budget.epochs(), seed), test, Double.NaN);
    }

    /**
     * @param ds       one-hot labelled examples (10 classes)
     * @param first    first class kept (the next 5 are kept)
     * @param relabel  true to keep only those 5 label columns (classes {@code first..first+4} become 0..4)
     * @return the examples of classes {@code first..first+4}
     */
    static DataSet classes(DataSet ds, int first, boolean relabel) {
        INDArray labels = ds.getLabels();
        INDArray arg = labels.argMax(1);
        int[] keep = IntStream.range(0, (int) labels.rows())
                .filter(i -> {
                    int c = arg.getInt(i);
                    return c >= first && c < first + NEW_CLASSES;
                }).toArray();
        INDArray x = ds.getFeatures().getRows(keep);
        INDArray y = labels.getRows(keep);
        if (relabel) {
            y = y.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(first, first + NEW_CLASSES)).dup();
        }
        return new DataSet(x, y);
    }

    /** @return the ids of the classes of the new task */
    public static List<Integer> newClasses() {
        return IntStream.range(NEW_CLASSES, 2 * NEW_CLASSES).boxed().toList();
    }
}
