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
 * 4 x 4 pooling the networks see.
 */
public final class OverparamData {

    /**
     * Fashion-MNIST training images read for the scaling part (before de-duplication): at least the largest n of
     * {@link OverparamExperiment.Config#full} (400) remain distinct after the 4 x 4 pooling.
     */
    public static final int FASHION_TRAIN = 500;
    /**
     * Pooling factor of the Fashion-MNIST images: 28 x 28 to 4 x 4 = 16 inputs, so that at the small n of the scaling
     * part a given P buys hidden width rather than first-layer weights (measured at n = 25, random labels: with 7 x 7
     * = 49 inputs no seed-complete fit up to P/(nk) = 4, with 4 x 4 from P/(nk) = 2.17).
     */
    public static final int FASHION_POOL = 7;
    /** Fashion-MNIST test images. */
    public static final int FASHION_TEST = 500;

    private OverparamData() {
    }

    /**
     * @param seed split seed
     * @return de-duplicated Iris, stratified 2/3 train, 1/3 test (98 training inputs)
     * @throws IOException if the bundled file cannot be read
     */
    public static OverparamExperiment.Split iris(long seed) throws IOException {
        return OverparamExperiment.stratified("Iris (distinct inputs)", distinct(Datasets.iris()), 2.0 / 3, seed);
    }

    /**
     * @param fashionDir Fashion-MNIST IDX folder
     * @return the first {@link #FASHION_TRAIN} training images, 4 x 4 pooled and de-duplicated (in file order, so
     *         the first n rows are nested subsets), with the first {@link #FASHION_TEST} test images; null if the
     *         files are not in {@code fashionDir}
     * @throws IOException if a file cannot be read
     */
    public static OverparamExperiment.Split fashion(Path fashionDir) throws IOException {
        if (fashionDir == null || !Datasets.hasFashionMnist(fashionDir)) {
            return null;
        }
        DataSet train = Datasets.fashionMnist(fashionDir, true, FASHION_TRAIN);
        DataSet test = Datasets.fashionMnist(fashionDir, false, FASHION_TEST);
        return new OverparamExperiment.Split("Fashion-MNIST 4x4 (distinct inputs)",
                distinct(new DataSet(OverparamExperiment.pool(train.getFeatures(), FASHION_POOL), train.getLabels())),
                new DataSet(OverparamExperiment.pool(test.getFeatures(), FASHION_POOL), test.getLabels()));
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
