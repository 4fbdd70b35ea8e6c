package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.realdata.Datasets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The data of the over-parameterization sweep, without duplicated inputs: with two identical inputs carrying
 * different (random) labels no model can drive the loss to zero, so the random-label claim would test the data, not
 * the theory. Iris holds 3 duplicated rows (147 distinct of 150); Fashion-MNIST images are de-duplicated after the
 * 7 x 7 pooling the networks see.
 */
public final class OverparamData {

    /** Fashion-MNIST training images of the sweep (before de-duplication) in the default run. */
    public static final int FASHION_TRAIN = 200;
    /** Fashion-MNIST test images. */
    public static final int FASHION_TEST = 500;

    private OverparamData() {
    }

    /**
     * @param seed       split seed
     * @param fashionDir Fashion-MNIST IDX folder, or null to skip it
     * @return de-duplicated Iris (stratified 2/3 train, 1/3 test) and, if the files are in {@code fashionDir}, the
     *         first {@link #FASHION_TRAIN} training images (7 x 7 pooled, de-duplicated) with the first
     *         {@link #FASHION_TEST} test images
     * @throws IOException if a file cannot be read
     */
    public static List<OverparamExperiment.Split> splits(long seed, Path fashionDir) throws IOException {
        List<OverparamExperiment.Split> splits = new ArrayList<>();
        splits.add(OverparamExperiment.stratified("Iris (distinct inputs)", distinct(Datasets.iris()), 2.0 / 3, seed));
        if (fashionDir != null && Datasets.hasFashionMnist(fashionDir)) {
            DataSet train = Datasets.fashionMnist(fashionDir, true, FASHION_TRAIN);
            DataSet test = Datasets.fashionMnist(fashionDir, false, FASHION_TEST);
            splits.add(new OverparamExperiment.Split("Fashion-MNIST 7x7 (distinct inputs)",
                    distinct(new DataSet(OverparamExperiment.pool(train.getFeatures(), 4), train.getLabels())),
                    new DataSet(OverparamExperiment.pool(test.getFeatures(), 4), test.getLabels())));
        }
        return splits;
    }

    /**
     * @param data features and labels
     * @return the rows whose features (compared exactly, in double precision) did not occur in an earlier row, in
     *         their original order
     */
    public static DataSet distinct(DataSet data) {
        double[][] x = data.getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
        Set<String> seen = new HashSet<>();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (seen.add(Arrays.toString(x[i]))) {
                keep.add(i);
            }
        }
        int[] rows = keep.stream().mapToInt(Integer::intValue).toArray();
        return new DataSet(data.getFeatures().getRows(rows), data.getLabels().getRows(rows));
    }

    /** @return the number of rows whose features repeat an earlier row's */
    public static int duplicates(DataSet data) {
        return data.numExamples() - distinct(data).numExamples();
    }
}
