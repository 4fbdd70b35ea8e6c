package io.github.adaloss.it.support;

import io.github.adaloss.datasets.Iris;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/**
 * The Iris data set (150 examples, 4 features, 3 classes) read through DataVec by {@link Iris} (adaloss-datasets),
 * shuffled with a seed; labels one-hot [150, 3], FLOAT.
 */
public final class IrisData {

    private IrisData() {
    }

    /**
     * @param seed seed of the shuffle
     * @return {@link #load} with the features standardized ({@code NormalizerStandardize} fitted on all 150)
     */
    public static DataSet standardized(long seed) {
        DataSet all = load(seed);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(all);
        normalizer.transform(all);
        return all;
    }

    /**
     * @param seed seed of the shuffle
     * @return all 150 examples, shuffled with {@code seed}, features [150, 4] and one-hot labels [150, 3]
     */
    public static DataSet load(long seed) {
        DataSet all = Iris.all();
        all.shuffle(seed);
        return all;
    }
}
