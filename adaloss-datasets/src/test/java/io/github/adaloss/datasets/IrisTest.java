package io.github.adaloss.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class IrisTest {

    @Test
    void readsTheUciTableThroughDataVec() {
        DataSet ds = Iris.all();
        INDArray x = ds.getFeatures();
        assertEquals(150, x.rows());
        assertEquals(4, x.columns());
        // First and last rows of the UCI table.
        assertEquals(5.1, x.getDouble(0, 0), 1e-6);
        assertEquals(0.2, x.getDouble(0, 3), 1e-6);
        assertEquals(5.9, x.getDouble(149, 0), 1e-6);
        assertEquals(1.8, x.getDouble(149, 3), 1e-6);
        // Column means documented in UCI's iris.names (cm): 5.84, 3.05, 3.76, 1.20.
        double[] means = {5.84, 3.05, 3.76, 1.20};
        for (int j = 0; j < 4; j++) {
            assertEquals(means[j], x.getColumn(j).meanNumber().doubleValue(), 5e-3, "column " + j);
        }
        // 50 examples per class, in file order.
        INDArray perClass = ds.getLabels().sum(0);
        for (int c = 0; c < 3; c++) {
            assertEquals(50, perClass.getDouble(c), 0);
            assertEquals(1.0, ds.getLabels().getDouble(50 * c + 10, c), 0);
        }
    }

    @Test
    void standardizedHasZeroMeanAndUnitVariance() {
        INDArray x = Iris.standardized().getFeatures();
        for (int j = 0; j < 4; j++) {
            INDArray col = x.getColumn(j);
            assertEquals(0.0, col.meanNumber().doubleValue(), 1e-5);
            double var = col.mul(col).meanNumber().doubleValue();
            assertEquals(1.0, var, 1e-2); // population or sample variance: 149/150 apart
        }
    }

    @Test
    void iteratorServesSeveralEpochs() {
        DataSetIterator it = Iris.iterator(40);
        for (int epoch = 0; epoch < 2; epoch++) {
            int n = 0;
            int batches = 0;
            double first = Double.NaN;
            while (it.hasNext()) {
                DataSet b = it.next();
                if (batches == 0) {
                    first = b.getFeatures().getDouble(0, 0);
                }
                n += b.numExamples();
                batches++;
            }
            assertEquals(150, n, "epoch " + epoch);
            assertEquals(4, batches);
            assertEquals(5.1, first, 1e-6);
            it.reset();
        }
    }

    @Test
    void rejectsBadBatchSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Iris.iterator(0));
        assertEquals("batchSize must be >= 1, got 0", e.getMessage());
    }

    @Test
    void doubleCopyHoldsTheCsvDecimalsAndAgreesWithTheIterator() {
        DataSet d = Iris.all(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        DataSet f = Iris.all();
        assertEquals(org.nd4j.linalg.api.buffer.DataType.DOUBLE, d.getFeatures().dataType());
        assertEquals(5.1, d.getFeatures().getDouble(0, 0), 0.0);    // the first row: 5.1,3.5,1.4,0.2,0
        assertEquals(0.2, d.getFeatures().getDouble(0, 3), 0.0);
        assertEquals(f.getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE),
                d.getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                        .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
        assertEquals(f.getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE), d.getLabels());
    }
}
