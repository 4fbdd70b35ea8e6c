package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A classifier workload on Fashion-MNIST: it trains on the first {@code trainExamples} training images for the
 * budget's epochs, shuffled per seed, and tests on the first {@code testExamples} test images.
 */
public abstract class FashionMnistWorkload implements Workload {

    /** Fashion-MNIST folder. */
    protected final Path dir;
    /** Training budget. */
    protected final Budget budget;
    private final int batch;
    private final boolean images;

    /**
     * @param dir    Fashion-MNIST folder
     * @param budget training budget
     * @param batch  mini-batch size
     * @param images true for {@code [n, 1, 28, 28]} image features ({@link FashionMnist#loadImages}), false for
     *               flat {@code [n, 784]} rows ({@link FashionMnist#load})
     */
    FashionMnistWorkload(Path dir, Budget budget, int batch, boolean images) {
        this.dir = dir;
        this.budget = budget;
        this.batch = batch;
        this.images = images;
    }

    @Override
    public final boolean regression() {
        return false;
    }

    @Override
    public final Data data(long seed) throws IOException {
        DataSet train = images ? FashionMnist.loadImages(dir, true, budget.trainExamples())
                : FashionMnist.load(dir, true, budget.trainExamples());
        DataSet test = images ? FashionMnist.loadImages(dir, false, budget.testExamples())
                : FashionMnist.load(dir, false, budget.testExamples());
        return new Data(Batches.shuffled(transform(train), batch, budget.epochs(), seed), transform(test), Double.NaN);
    }

    /**
     * @param images the loaded examples
     * @return the examples the network takes (here unchanged; a subclass may resize them)
     */
    protected DataSet transform(DataSet images) {
        return images;
    }
}
