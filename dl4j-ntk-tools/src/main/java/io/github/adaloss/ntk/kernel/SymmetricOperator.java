package io.github.adaloss.ntk.kernel;

/**
 * A symmetric linear operator on R^n, known only through its products with vectors: what {@link LanczosSpectrum}
 * needs to find the extremes of a spectrum without holding the matrix as an {@code INDArray} (for example a Gram
 * matrix in a memory-mapped file, {@link FloatGram}).
 */
public interface SymmetricOperator {

    /** @return the dimension n, at least 1 */
    int size();

    /**
     * Sets {@code y = A x}.
     *
     * @param x input, length n (only read)
     * @param y output, length n, a different array (overwritten)
     */
    void multiply(double[] x, double[] y);
}
