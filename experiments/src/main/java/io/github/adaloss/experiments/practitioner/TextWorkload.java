package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.WordLists;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * LSTM text classifier (the AdaLoss paper's AdamLoss experiment is an LSTM text classifier): the network of
 * deeplearning4j-examples {@code advanced/modelling/textclassification/pretrainedword2vec/
 * ImdbReviewClassificationRNN.java} as published, {@code LSTM nIn -> 256 (TANH)}, {@code RnnOutputLayer 256 -> K
 * (SOFTMAX, MCXENT)}, {@code weightInit(XAVIER)}, {@code l2(1e-5)}, {@code Adam(5e-3)},
 * {@code GradientNormalization.ClipElementWiseAbsoluteValue} with threshold 1.0, batch 64, one epoch; sequences padded
 * at the end with a features mask, the label at the last real time step only (a labels mask), as the example's
 * {@code SentimentExampleIterator} does.
 *
 * <p>Changed: the data. The example reads IMDB reviews as 300-dimensional Google-News word vectors, both downloads;
 * here the task is language identification of single words from Debian's word lists ({@link WordLists}: English,
 * German, French, Spanish, Italian, Portuguese, Dutch; lower-cased, letters only, words of several lists dropped),
 * each word a sequence of one-hot characters (the training words' alphabet plus one "other" symbol), truncated to
 * {@link #MAX_LENGTH} characters as the example truncates reviews. A class-balanced sample of a fixed data seed.
 */
public final class TextWorkload implements Workload {

    /** Published batch size. */
    public static final int BATCH = 64;
    /** Published LSTM width. */
    public static final int HIDDEN = 256;
    /** Published element-wise gradient clipping threshold. */
    public static final double CLIP = 1.0;
    /** Published L2 coefficient. */
    public static final double L2 = 1e-5;
    /** Characters kept per word (the example truncates reviews to 256 words). */
    public static final int MAX_LENGTH = 14;
    /** Seed of the word sample (fixed, like a published split). */
    public static final long DATA_SEED = 2024;

    private final Path dir;
    private final Budget budget;
    private DataSet train;
    private DataSet test;
    private int inputs = -1;

    /**
     * @param dir    folder of the word lists
     * @param budget training budget: training and test words in all (divided evenly among the languages)
     */
    public TextWorkload(Path dir, Budget budget) {
        this.dir = dir;
        this.budget = budget;
    }

    /** @return the number of classes (languages) */
    public static int classes() {
        return WordLists.FILES.size();
    }

    @Override
    public String id() {
        return "text";
    }

    @Override
    public String source() {
        return "ImdbReviewClassificationRNN (deeplearning4j-examples text classification): LSTM(256, tanh) + "
                + "RnnOutputLayer softmax/MCXENT, XAVIER, l2 1e-5, Adam(5e-3), element-wise clipping 1.0, batch 64; on "
                + "language identification of words from Debian's word lists (" + classes() + " languages, one-hot "
                + "characters, at most " + MAX_LENGTH + "), " + budget.trainExamples() + " training words x "
                + budget.epochs() + " epoch(s) = " + budget.updates(BATCH) + " updates, tested on "
                + budget.testExamples() + " words (published: 1 epoch of 25,000 IMDB reviews as word vectors)";
    }

    @Override
    public boolean regression() {
        return false;
    }

    @Override
    public boolean heavy() {
        return true;
    }

    @Override
    public IUpdater publishedUpdater() {
        return new Adam(5e-3);
    }

    /**
     * @param updater the updater
     * @param seed    seed
     * @param inputs  alphabet size (one-hot width)
     * @return the published configuration with {@code updater}
     */
    public static MultiLayerConfiguration configuration(IUpdater updater, long seed, int inputs) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .l2(L2)
                .weightInit(WeightInit.XAVIER)
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(CLIP)
                .list()
                .layer(new LSTM.Builder().nIn(inputs).nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder().activation(Activation.SOFTMAX).lossFunction(LossFunction.MCXENT)
                        .nIn(HIDDEN).nOut(classes()).build())
                .build();
    }

    @Override
    public Model build(IUpdater updater, long seed) throws IOException {
        load();
        return Workload.initialized(configuration(updater, seed, inputs));
    }

    @Override
    public Data data(long seed) throws IOException {
        load();
        return new Data(Batches.shuffled(train, BATCH, budget.epochs(), seed), test, Double.NaN);
    }

    private synchronized void load() throws IOException {
        if (train != null) {
            return;
        }
        int k = classes();
        Map<String, List<String>> words = WordLists.read(dir);
        WordLists.Sample s = WordLists.sample(words, budget.trainExamples() / k, budget.testExamples() / k, DATA_SEED);
        TreeSet<Character> alphabet = new TreeSet<>();
        for (String w : s.trainWords()) {
            for (int i = 0; i < Math.min(MAX_LENGTH, w.length()); i++) {
                alphabet.add(w.charAt(i));
            }
        }
        String letters = alphabet.stream().map(String::valueOf).reduce("", String::concat);
        inputs = letters.length() + 1;
        train = encode(s.trainWords(), s.trainLabels(), letters, k);
        test = encode(s.testWords(), s.testLabels(), letters, k);
    }

    /**
     * One-hot sequences, padded at the end: features {@code [n, alphabet + 1, MAX_LENGTH]} (index
     * {@code alphabet.length()} for a character outside the alphabet), features mask {@code [n, MAX_LENGTH]}, labels
     * {@code [n, k, MAX_LENGTH]} one-hot at the word's last character, labels mask {@code [n, MAX_LENGTH]} 1 there
     * only.
     *
     * @param words    the words
     * @param labels   their classes
     * @param alphabet the known characters, in one-hot order
     * @param k        the number of classes
     * @return the data set
     */
    static DataSet encode(List<String> words, List<Integer> labels, String alphabet, int k) {
        int n = words.size();
        int v = alphabet.length() + 1;
        INDArray f = Nd4j.zeros(DataType.FLOAT, n, v, MAX_LENGTH);
        INDArray fm = Nd4j.zeros(DataType.FLOAT, n, MAX_LENGTH);
        INDArray l = Nd4j.zeros(DataType.FLOAT, n, k, MAX_LENGTH);
        INDArray lm = Nd4j.zeros(DataType.FLOAT, n, MAX_LENGTH);
        for (int i = 0; i < n; i++) {
            String w = words.get(i);
            int len = Math.min(MAX_LENGTH, w.length());
            for (int t = 0; t < len; t++) {
                int c = alphabet.indexOf(w.charAt(t));
                f.putScalar(new long[] {i, c < 0 ? v - 1 : c, t}, 1);
                fm.putScalar(i, t, 1);
            }
            l.putScalar(new long[] {i, labels.get(i), len - 1}, 1);
            lm.putScalar(i, len - 1, 1);
        }
        return new DataSet(f, l, fm, lm);
    }
}
