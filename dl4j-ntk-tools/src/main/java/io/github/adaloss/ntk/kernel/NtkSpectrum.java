package io.github.adaloss.ntk.kernel;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * All eigenvalues of a symmetric Gram matrix, in double precision (LAPACK {@code dsyev} through ND4J, eigenvalues
 * only: {@code jobz = 'N'}), with the summaries the convergence theory uses. The matrix is symmetrized
 * ({@code (K + K^T)/2}) on a copy first; the input is never modified. (ND4J's
 * {@code Eigen.symmetricGeneralizedEigenvalues(A, false)} always asks LAPACK for the eigenvectors too, about 13x
 * slower at n = 1000 and 2000, and ignores LAPACK's status.)
 *
 * @param eigenvalues ascending
 */
public record NtkSpectrum(double[] eigenvalues) {

    /**
     * @param gram a square matrix [n, n], n &gt;= 1, finite
     * @return its spectrum
     */
    public static NtkSpectrum of(INDArray gram) {
        if (gram == null || gram.rank() != 2 || gram.rows() != gram.columns() || gram.rows() == 0) {
            throw new IllegalArgumentException("gram must be a non-empty square matrix, got "
                    + (gram == null ? "null" : Arrays.toString(gram.shape())));
        }
        INDArray k = gram.castTo(DataType.DOUBLE);
        INDArray sym = k.add(k.transpose()).muli(0.5);
        if (!Double.isFinite(sym.sumNumber().doubleValue())) {
            throw new IllegalArgumentException("gram has NaN or infinite entries");
        }
        // sym is a fresh contiguous array, which dsyev overwrites
        INDArray values = Nd4j.create(DataType.DOUBLE, sym.rows());
        int status = Nd4j.getBlasWrapper().lapack().syev('N', 'L', sym, values);
        if (status != 0) {
            throw new IllegalStateException("LAPACK dsyev failed (info " + status + ") on a " + sym.rows() + " x "
                    + sym.rows() + " Gram matrix");
        }
        double[] ev = values.toDoubleVector();
        Arrays.sort(ev);
        return new NtkSpectrum(ev);
    }

    /** @return the smallest eigenvalue */
    public double lambdaMin() {
        return eigenvalues[0];
    }

    /** @return the largest eigenvalue */
    public double lambdaMax() {
        return eigenvalues[eigenvalues.length - 1];
    }

    /** @return {@code lambda_max / lambda_min} (infinite if {@code lambda_min <= 0}) */
    public double conditionNumber() {
        return lambdaMin() > 0 ? lambdaMax() / lambdaMin() : Double.POSITIVE_INFINITY;
    }

    /** @return the sum of the eigenvalues (the trace) */
    public double trace() {
        double s = 0;
        for (double e : eigenvalues) {
            s += e;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NtkSpectrum other && Arrays.equals(eigenvalues, other.eigenvalues);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(eigenvalues);
    }

    @Override
    public String toString() {
        return "NtkSpectrum(n=" + eigenvalues.length + ", lambdaMin=" + lambdaMin() + ", lambdaMax=" + lambdaMax()
                + ")";
    }
}
