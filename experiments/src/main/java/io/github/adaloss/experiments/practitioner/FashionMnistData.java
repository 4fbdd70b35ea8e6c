package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.dataset.DataSet;

/** The Fashion-MNIST training batches and test set of a workload: the first images of each file, shuffled per seed. */
final class FashionMnistData {

    private FashionMnistData() {
    }

    /**
     * @param dir    Fashion-MNIST folder
     * @param budget training budget (the first {@code trainExamples} / {@code testExamples} images, its epochs)
     * @param batch  mini-batch size
     * @param seed   shuffling seed of the training order
     * @param images true for {@code [n, 1, 28, 28]} image features ({@link FashionMnist#loadImages}), false for
     *               flat {@code [n, 784]} rows ({@link FashionMnist#load})
     * @return the shuffled batches of all epochs and the test set (classifier: target std NaN)
     * @throws IOException if the files cannot be read
     */
    static Workload.Data load(Path dir, Budget budget, int batch, long seed, boolean images) throws IOException {
        DataSet train = images ? FashionMnist.loadImages(dir, true, budget.trainExamples())
                : FashionMnist.load(dir, true, budget.trainExamples());
        DataSet test = images ? FashionMnist.loadImages(dir, false, budget.testExamples())
                : FashionMnist.load(dir, false, budget.testExamples());
        return new Workload.Data(Batches.shuffled(train, batch, budget.epochs(), seed), test, Double.NaN);
    }
}
