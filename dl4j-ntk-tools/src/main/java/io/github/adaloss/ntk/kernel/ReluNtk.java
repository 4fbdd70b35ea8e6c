package io.github.adaloss.ntk.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Gram matrices of the two-layer ReLU network {@code f = (1/sqrt m) sum_r a_r relu(w_r^T x)} with respect to
 * its first-layer weights (Du et al., arXiv:1810.02054). Inputs {@code X} are [n, d] with unit-norm rows; every
 * result is a DOUBLE [n, n] matrix.
 *
 * <pre>
 *   H_ij(W)  = (1/m) x_i^T x_j sum_r 1{w_r^T x_i >= 0} 1{w_r^T x_j >= 0}  =  ((X X^T) o (S S^T)) / m
 *   Hinf_ij  = E_{w ~ N(0, I)} [x_i^T x_j 1{w^T x_i >= 0, w^T x_j >= 0}]  =  x_i^T x_j (pi - arccos(x_i^T x_j)) / (2 pi)
 *   lambda_0 = lambda_min(Hinf)
 * </pre>
 * with {@code S_ir = 1{w_r^T x_i >= 0}} (n x m) and {@code o} the element-wise product.
 */
public final class ReluNtk {

    /** Largest deviation of a row norm from 1 that is accepted. */
    public static final double UNIT_NORM_TOLERANCE = 1e-6;

    private ReluNtk() {
    }

    /**
     * @param x inputs [n, d], unit-norm rows
     * @return {@code Hinf} [n, n]
     */
    public static INDArray infiniteWidth(INDArray x) {
        INDArray xd = checkUnitRows(x);
        INDArray g = xd.mmul(xd.transpose());
        long n = g.rows();
        INDArray h = g.dup();
        for (long i = 0; i < n; i++) {
            for (long j = 0; j < n; j++) {
                double c = Math.max(-1, Math.min(1, g.getDouble(i, j)));
                h.putScalar(i, j, c * (Math.PI - Math.acos(c)) / (2 * Math.PI));
            }
        }
        return h;
    }

    /**
     * @param x inputs [n, d], unit-norm rows
     * @return {@code lambda_0 = lambda_min(Hinf)}
     */
    public static double lambda0(INDArray x) {
        return NtkSpectrum.of(infiniteWidth(x)).lambdaMin();
    }

    /**
     * @param x inputs [n, d], unit-norm rows
     * @param w first-layer weights [d, m] (DL4J's layout: column r is {@code w_r})
     * @return {@code H(W)} [n, n]
     */
    public static INDArray finiteWidth(INDArray x, INDArray w) {
        INDArray xd = checkUnitRows(x);
        INDArray wd = w.castTo(DataType.DOUBLE);
        if (wd.rank() != 2 || wd.rows() != xd.columns()) {
            throw new IllegalArgumentException("w must be [d, m] with d = " + xd.columns() + ", got shape "
                    + java.util.Arrays.toString(w.shape()));
        }
        INDArray s = xd.mmul(wd).gte(0).castTo(DataType.DOUBLE);
        return xd.mmul(xd.transpose()).muli(s.mmul(s.transpose())).divi(wd.columns());
    }

    private static INDArray checkUnitRows(INDArray x) {
        if (x == null || x.rank() != 2 || x.rows() == 0) {
            throw new IllegalArgumentException("x must be a non-empty [n, d] matrix, got "
                    + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
        }
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray norms = xd.norm2(1);
        for (long i = 0; i < norms.length(); i++) {
            double v = norms.getDouble(i);
            if (!(Math.abs(v - 1) <= UNIT_NORM_TOLERANCE)) {
                throw new IllegalArgumentException("x row " + i + " has norm " + v
                        + "; the ReLU kernels assume unit-norm inputs (see UnitNormPreProcessor)");
            }
        }
        return xd;
    }
}
