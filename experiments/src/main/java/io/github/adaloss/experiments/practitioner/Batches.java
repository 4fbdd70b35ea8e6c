package io.github.adaloss.experiments.practitioner;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Fixed training order: every epoch is a seeded shuffle of the training set cut into mini-batches. */
public final class Batches {

    private Batches() {
    }

    /**
     * @param all       the training set (not modified)
     * @param batchSize examples per mini-batch (the last one may be smaller)
     * @param epochs    number of passes
     * @param seed      shuffling seed: same seed, same order
     * @return the mini-batches of every epoch, in order
     */
    public static List<DataSet> shuffled(DataSet all, int batchSize, int epochs, long seed) {
        List<DataSet> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            DataSet copy = all.copy();
            copy.shuffle(seed * 1_000_003L + e);
            long n = copy.numExamples();
            for (long start = 0; start < n; start += batchSize) {
                long end = Math.min(n, start + batchSize);
                out.add(rows(copy, start, end));
            }
        }
        return out;
    }

    /**
     * @param ds    a data set (2-d, or 3-d/4-d with the example dimension first)
     * @param start first example
     * @param end   one past the last example
     * @return a detached copy of those examples, masks included
     */
    public static DataSet rows(DataSet ds, long start, long end) {
        return new DataSet(slice(ds.getFeatures(), start, end), slice(ds.getLabels(), start, end),
                slice(ds.getFeaturesMaskArray(), start, end), slice(ds.getLabelsMaskArray(), start, end));
    }

    private static INDArray slice(INDArray a, long start, long end) {
        if (a == null) {
            return null;
        }
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(start, end);
        for (int i = 1; i < idx.length; i++) {
            idx[i] = NDArrayIndex.all();
        }
        return a.get(idx).dup();
    }
}
