package io.github.adaloss.experiments.saddle;

import java.util.Arrays;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The mechanism of Staib et al. (arXiv 1901.09149) measured at one point: the covariance of the per-example
 * gradients {@code C = 1/N sum_i (g_i - gbar)(g_i - gbar)^T} ({@code P x P}) before and after a diagonal
 * preconditioner {@code D = diag(1 / (sqrt(v) + eps))}, {@code v = 1/N sum_i g_i^2} (the second-moment estimate
 * RMSProp and Adam converge to when the parameters stand still, as they nearly do next to a saddle).
 *
 * <p>Isotropy is measured by the participation ratio {@code iso(C) = (tr C)^2 / (P tr(C^2))} in {@code (0, 1]}:
 * 1 exactly for {@code C = c I}, {@code 1/P} for a rank-one C. It is scale-invariant, so a SCALAR step size
 * (SGD, AdaLoss, AdaGrad-Norm) leaves it unchanged: those methods' preconditioned noise has the raw noise's
 * isotropy. {@code tr(C^2)} is computed as the squared Frobenius norm, no eigendecomposition.
 *
 * @param raw           {@code iso(C)}
 * @param preconditioned {@code iso(D C D)}
 * @param parameters    P
 * @param examples      N
 */
public record NoiseIsotropy(double raw, double preconditioned, int parameters, int examples) {

    /** The epsilon of the diagonal preconditioner (RMSProp's and Adam's usual 1e-8). */
    public static final double EPSILON = 1e-8;

    /**
     * Per-example gradients of {@code net} at its current parameters on every example of {@code data}. The
     * network's parameters and updater state are not changed.
     *
     * @param net  an initialized network
     * @param data N &gt;= 2 examples
     * @return the isotropy before and after diagonal preconditioning
     */
    public static NoiseIsotropy measure(MultiLayerNetwork net, DataSet data) {
        return of(perExampleGradients(net, data));
    }

    /**
     * @param net  an initialized network (parameters and updater state are not changed)
     * @param data N &gt;= 2 examples
     * @return the per-example gradients {@code [N][P]} at the current parameters
     */
    public static double[][] perExampleGradients(MultiLayerNetwork net, DataSet data) {
        int n = data.numExamples();
        if (n < 2) {
            throw new IllegalArgumentException("data must hold at least 2 examples, got " + n);
        }
        double[][] g = new double[n][];
        for (int i = 0; i < n; i++) {
            DataSet one = data.get(i);
            net.setInput(one.getFeatures());
            net.setLabels(one.getLabels());
            net.computeGradientAndScore();
            g[i] = net.gradient().gradient().dup().toDoubleVector();
        }
        net.clear();
        return g;
    }

    /**
     * The same participation ratio after the ideal FULL-MATRIX preconditioner of Staib et al.
     * ({@link FullMatrixPreconditioner}): {@code iso(A C A)} with {@code A = (M^{1/2} + eps I)^{-1}},
     * {@code M = 1/N sum_i g_i g_i^T} (eps {@value #EPSILON}). Where the mean gradient vanishes, M = C and
     * {@code A C A} is the projector onto C's support, so the value is {@code rank(C)/P}, the largest any
     * preconditioner can reach for that rank; a diagonal one stays below it unless C is diagonal.
     *
     * <p>Computed as {@code A C A = A M A - (A gbar)(A gbar)^T = V diag(lambda / (sqrt(lambda) + eps)^2) V^T -
     * (A gbar)(A gbar)^T} (C = M - gbar gbar^T exactly), not as the product {@code A C A}: on M's null space A is
     * {@code 1/eps = 1e8}, so the product multiplies C's rounding-level entries there by {@code 1e16}, and the value
     * moved by 6% (seed 2024 of the saddle tests) with the order of the multiplications.
     *
     * @param g per-example gradients {@code [N][P]}, N &gt;= 2
     * @return {@code iso(A C A)}
     */
    public static double fullMatrix(double[][] g) {
        double[] mean = mean(g);
        EigenDecomposition e = FullMatrixPreconditioner.eigen(covariance(g, new double[mean.length]));
        double[] lambda = FullMatrixPreconditioner.support(e.getRealEigenvalues());
        double[] f = new double[lambda.length];
        double[] whitened = new double[lambda.length];
        for (int k = 0; k < lambda.length; k++) {
            f[k] = 1 / (Math.sqrt(lambda[k]) + EPSILON);
            whitened[k] = lambda[k] * f[k] * f[k];
        }
        RealMatrix v = e.getV();
        RealVector am = v.multiply(MatrixUtils.createRealDiagonalMatrix(f)).multiply(v.transpose())
                .operate(MatrixUtils.createRealVector(mean));
        RealMatrix aca = v.multiply(MatrixUtils.createRealDiagonalMatrix(whitened)).multiply(v.transpose())
                .subtract(am.outerProduct(am));
        return participation(aca.getData());
    }

    /**
     * @param g per-example gradients {@code [N][P]}, N &gt;= 2
     * @return the numerical rank of their covariance (eigenvalues above 1e-10 of the largest), the support whose
     *         dimension bounds every preconditioned participation ratio by {@code rank/P}
     */
    public static int covarianceRank(double[][] g) {
        double[] ev = FullMatrixPreconditioner.eigen(covariance(g, mean(g))).getRealEigenvalues();
        double max = Arrays.stream(ev).max().orElse(0);
        return (int) Arrays.stream(ev).filter(v -> v > 1e-10 * max).count();
    }

    /** @return the mean gradient {@code gbar}, after checking there are at least 2 rows of one length */
    private static double[] mean(double[][] g) {
        int n = g.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 gradients, got " + n);
        }
        int p = g[0].length;
        double[] mean = new double[p];
        for (double[] row : g) {
            if (row.length != p) {
                throw new IllegalArgumentException("gradient rows differ in length: " + row.length + " vs " + p);
            }
            for (int k = 0; k < p; k++) {
                mean[k] += row[k] / n;
            }
        }
        return mean;
    }

    /**
     * @param g      gradients, checked by {@link #mean}
     * @param centre {@code gbar} for the covariance C, zeros for the second moment M
     * @return {@code 1/N sum (g_i - centre)(g_i - centre)^T}
     */
    private static double[][] covariance(double[][] g, double[] centre) {
        int n = g.length;
        int p = centre.length;
        double[][] c = new double[p][p];
        for (double[] row : g) {
            for (int k = 0; k < p; k++) {
                double dk = row[k] - centre[k];
                for (int l = 0; l < p; l++) {
                    c[k][l] += dk * (row[l] - centre[l]) / n;
                }
            }
        }
        return c;
    }

    /**
     * @param g per-example gradients {@code [N][P]}, N &gt;= 2, all rows of one length P &gt;= 1
     * @return the isotropy of their covariance before and after the diagonal second-moment preconditioner
     */
    public static NoiseIsotropy of(double[][] g) {
        double[][] c = covariance(g, mean(g));
        int n = g.length;
        int p = c.length;
        double[] second = new double[p];
        for (double[] row : g) {
            for (int k = 0; k < p; k++) {
                second[k] += row[k] * row[k] / n;
            }
        }
        double[] scale = new double[p];
        for (int k = 0; k < p; k++) {
            scale[k] = 1 / (Math.sqrt(second[k]) + EPSILON);
        }
        double[][] pc = new double[p][p];
        for (int k = 0; k < p; k++) {
            for (int l = 0; l < p; l++) {
                pc[k][l] = scale[k] * c[k][l] * scale[l];
            }
        }
        return new NoiseIsotropy(participation(c), participation(pc), p, n);
    }

    /**
     * @param c a symmetric positive semi-definite matrix [P][P]
     * @return {@code (tr C)^2 / (P ||C||_F^2)}, NaN for the zero matrix
     */
    public static double participation(double[][] c) {
        double trace = 0;
        double frob = 0;
        for (int k = 0; k < c.length; k++) {
            trace += c[k][k];
            for (double v : c[k]) {
                frob += v * v;
            }
        }
        return frob == 0 ? Double.NaN : trace * trace / (c.length * frob);
    }
}
