package io.github.adaloss.testing;

import io.github.adaloss.datasets.Iris;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/** Fisher's Iris data (150 examples, 4 features, 3 classes) in file order, read through DataVec by {@link Iris}. */
public final class IrisData {

    private IrisData() {
    }

    /**
     * @param type data type of features and labels
     * @return all 150 examples, features standardized (in {@code type}), labels one-hot
     */
    public static DataSet standardized(DataType type) {
        DataSet ds = Iris.all(type);
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(ds);
        norm.transform(ds);
        return ds;
    }
}
