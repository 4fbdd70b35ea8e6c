package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import io.github.adaloss.datasets.WordLists;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The configurations of the suite at the short (default run), full or realistic budget. */
public final class Workloads {

    /** Training budgets of the suite. */
    public enum Scale {
        /** The default main-job run: 10-200 updates, a smoke test that carries no verdict. */
        SHORT,
        /** {@code --full}: 30-500 updates, still a smoke test. */
        FULL,
        /**
         * The realistic benchmark (issue 19): the published budget, or one full epoch of a stated subset where two
         * cores cannot afford it, on full test sets.
         */
        REALISTIC
    }

    /** Ids in report order. */
    public static final List<String> IDS = List.of("mlp", "lenet", "lstm", "text", "regression", "sum", "resnet",
            "transfer", "darknet19", "simplecnn", "xception");

    /** Ids of the realistic benchmark only: the short and full smoke suites of the main job leave them out. */
    public static final List<String> REALISTIC_ONLY = List.of("text", "sum", "darknet19", "simplecnn", "xception");

    /** Training images of the deep zoo configurations (one epoch: {@code ZOO_TRAIN / ZooWorkload.BATCH} updates). */
    public static final int ZOO_TRAIN = 2400;
    /** Test images of the deep zoo configurations: sampling error of an 80% accuracy sqrt(0.16 / 2000) = 0.9 points. */
    public static final int ZOO_TEST = 2000;

    private Workloads() {
    }

    /**
     * @param scale a scale
     * @return the ids that scale offers, in {@link #IDS} order
     */
    public static List<String> ids(Scale scale) {
        return scale == Scale.REALISTIC ? IDS : IDS.stream().filter(id -> !REALISTIC_ONLY.contains(id)).toList();
    }

    /**
     * @param id a configuration id
     * @return the test examples of its realistic budget (what {@link #create} gives at {@link Scale#REALISTIC})
     */
    public static int realisticTestExamples(String id) {
        return switch (id) {
            case "mlp", "lenet", "resnet" -> 10000;
            case "transfer", "regression", "sum" -> 5000;
            case "text" -> 3500;
            case "darknet19", "simplecnn", "xception" -> ZOO_TEST;
            case "lstm" -> 3000;
            default -> throw new IllegalArgumentException("unknown configuration " + id);
        };
    }

    /**
     * @param full       the full budgets (else the short ones)
     * @param fashionDir Fashion-MNIST folder; when its files are missing the four Fashion-MNIST configurations are
     *                   left out
     * @param only       ids to keep (empty: all)
     * @return the configurations, in {@link #IDS} order
     */
    public static List<Workload> create(boolean full, Path fashionDir, List<String> only) {
        return create(full ? Scale.FULL : Scale.SHORT, fashionDir, only);
    }

    /**
     * Realistic budgets: {@code mlp} one epoch of all 60,000 training images (published: 15); {@code lenet} one epoch
     * of the first 12,000 (a fifth of the published epoch: LeNet trains at about 100-150 images/s here, so a full
     * epoch costs 7-10 minutes per run); {@code lstm} the published 40 epochs of the 450 training series, tested on
     * 3,000 further series; {@code regression} the published 200 epochs of 1,000 examples, tested on 5,000;
     * {@code sum} the published 200 epochs of the example's 1,000 pairs, tested on 5,000; {@code text} one epoch of
     * 7,000 words (1,000 per language; the published budget is one epoch; an epoch of 14,000 costs about 100 s per run
     * here, which five seeds of the b0 tables cannot afford), tested on 3,500 (500 per language);
     * {@code resnet} one epoch of the first 12,000 images; {@code transfer} one epoch of the 12,000 first images
     * of classes 5-9 after the pretraining range (about 6,000); {@code darknet19}, {@code simplecnn} and
     * {@code xception} (deep zoo models, {@link ZooWorkload}; realistic scale only) one epoch of the first 2,400 images
     * (300 updates of 8), tested on the first 2,000: a few hundred steps, as issue 22 asks. Fashion-MNIST test sets are complete (10,000; 5,000
     * for the five classes of {@code transfer}).
     *
     * @param scale      which budgets
     * @param fashionDir Fashion-MNIST folder; when its files are missing the four Fashion-MNIST configurations are
     *                   left out (and {@code text} when Debian's word lists are missing, {@link WordLists})
     * @param only       ids to keep (empty: all)
     * @return the configurations, in {@link #IDS} order
     */
    public static List<Workload> create(Scale scale, Path fashionDir, List<String> only) {
        boolean full = scale == Scale.FULL;
        boolean real = scale == Scale.REALISTIC;
        boolean fashion = FashionMnist.isAvailable(fashionDir);
        boolean words = WordLists.isAvailable(WordLists.directory());
        List<Workload> out = new ArrayList<>();
        for (String id : ids(scale)) {
            if (!only.isEmpty() && !only.contains(id)) {
                continue;
            }
            Workload w = switch (id) {
                case "mlp" -> fashion ? new MlpWorkload(fashionDir, real ? new Budget(60000, realisticTestExamples(id), 1)
                        : full ? new Budget(12800, 2000, 1) : new Budget(3840, 1000, 1)) : null;
                case "lenet" -> fashion ? new LeNetWorkload(fashionDir, real ? new Budget(12000, realisticTestExamples(id), 1)
                        : full ? new Budget(1920, 1000, 1) : new Budget(640, 500, 1)) : null;
                case "lstm" -> new LstmWorkload(real ? new Budget(450, realisticTestExamples(id), 40)
                        : full ? new Budget(450, 150, 2) : new Budget(450, 150, 1));
                case "text" -> words ? new TextWorkload(WordLists.directory(), new Budget(7000,
                        realisticTestExamples(id), 1)) : null;
                case "sum" -> new RegressionWorkload(RegressionWorkload.Problem.SUM, new Budget(1000,
                        realisticTestExamples(id), 200));
                case "regression" -> new RegressionWorkload(real ? new Budget(1000, realisticTestExamples(id), 200)
                        : full ? new Budget(1000, 500, 50) : new Budget(1000, 500, 20));
                case "resnet" -> fashion ? new ResNetWorkload(fashionDir, real ? new Budget(12000, realisticTestExamples(id), 1)
                        : full ? new Budget(960, 1000, 1) : new Budget(320, 500, 1)) : null;
                case "transfer" -> fashion ? new TransferWorkload(fashionDir, real ? new Budget(12000, realisticTestExamples(id), 1)
                        : full ? new Budget(3000, 2000, 1) : new Budget(900, 1000, 1)) : null;
                case "darknet19", "simplecnn", "xception" -> fashion ? new ZooWorkload(id, fashionDir,
                        new Budget(ZOO_TRAIN, ZOO_TEST, 1)) : null;
                default -> throw new IllegalStateException(id);
            };
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }
}
