package io.github.adaloss.ntk.network;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * Scales every input row to unit L2 norm, as the two-layer theory assumes ({@code ||x_i|| = 1}). A zero or
 * non-finite row has no direction and is rejected with an {@link IllegalArgumentException} naming the row.
 */
public final class UnitNormPreProcessor implements DataSetPreProcessor {

    private static final long serialVersionUID = 1L;

    @Override
    public void preProcess(DataSet dataSet) {
        normalizeRows(dataSet.getFeatures());
    }

    /**
     * Normalizes the rows of a 2-d feature matrix in place.
     *
     * @param features n x d
     * @return {@code features}
     */
    public static INDArray normalizeRows(INDArray features) {
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be a 2-d [n, d] matrix, got shape "
                    + java.util.Arrays.toString(features.shape()));
        }
        INDArray norms = features.norm2(1);
        for (long i = 0; i < norms.length(); i++) {
            double n = norms.getDouble(i);
            if (!(n > 0) || Double.isInfinite(n)) {
                throw new IllegalArgumentException("features row " + i + " has L2 norm " + n
                        + ": it cannot be scaled to unit norm");
            }
        }
        features.diviColumnVector(norms.reshape(norms.length(), 1).castTo(features.dataType()));
        return features;
    }
}
