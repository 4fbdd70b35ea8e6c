package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The BLAS reductions that guard the parameters see one NaN or infinity anywhere, and sum correctly. */
class FiniteCheckTest {

    @Test
    void oneBadEntryAnywhereIsSeen() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                for (int at : new int[] {0, 500_001, 1_000_002}) {
                    INDArray g = Nd4j.rand(t, 1, 1_000_003).subi(0.5);
                    g.putScalar(at, bad);
                    assertFalse(Double.isFinite(FiniteCheck.absSum(g)), t + " " + bad + " at " + at);
                    assertFalse(Double.isFinite(FiniteCheck.squaredNorm(g)), t + " " + bad + " at " + at);
                    // a view with an offset, as an updater block's gradient is
                    INDArray view = g.reshape(g.length()).get(NDArrayIndex.interval(at == 0 ? 0 : 7, g.length()));
                    assertFalse(Double.isFinite(FiniteCheck.absSum(view)), t + " view " + bad + " at " + at);
                }
            }
        }
    }

    @Test
    void valuesAgainstPlainJava() {
        double[] x = new double[1001];
        double abs = 0;
        double sq = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i) * (i % 7 - 3);
            abs += Math.abs(x[i]);
            sq += x[i] * x[i];
        }
        INDArray a = Nd4j.create(x);
        assertEquals(abs, FiniteCheck.absSum(a), 1e-12 * abs);
        assertEquals(sq, FiniteCheck.squaredNorm(a), 1e-12 * sq);
        INDArray view = a.get(NDArrayIndex.interval(10, 20));
        double absView = 0;
        for (int i = 10; i < 20; i++) {
            absView += Math.abs(x[i]);
        }
        assertEquals(absView, FiniteCheck.absSum(view), 1e-12 * absView);
    }
}
