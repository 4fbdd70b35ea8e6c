package io.github.adaloss.ntk.listener;

import java.util.Arrays;

/**
 * The NTK of the probe set at one point of training. Quantities that do not apply are NaN.
 *
 * @param iteration          parameter updates applied before the snapshot
 * @param epoch              the network's epoch count
 * @param loss               {@code model.score()}: the loss of the current mini-batch at these parameters (at
 *                           epoch end: of the last mini-batch, before its update)
 * @param eigenvalues        all eigenvalues of the probe Gram H(t), ascending; for probes larger than
 *                           {@link NtkSpectrumListener#LANCZOS_THRESHOLD}, only lambda_min and the
 *                           {@link NtkSpectrumListener#LANCZOS_TOP_K} largest (Lanczos), ascending
 * @param lambdaMin          smallest eigenvalue
 * @param lambdaMax          largest eigenvalue
 * @param conditionNumber    lambdaMax / lambdaMin
 * @param trace              trace of H(t)
 * @param kernelDrift        ||H(t) - H(0)||_F / ||H(0)||_F, H(0) taken at the listener's first callback
 * @param maxNeuronMovement  max_r ||w_r(t) - w_r(0)|| over the first dense layer's units (its weight columns)
 * @param patternFlipFraction fraction of (probe example, first-layer unit) pairs whose sign of w_r^T x_i changed
 *                           since H(0)
 * @param stepSize           the value of the listener's step-size function at this snapshot (see
 *                           {@link NtkSpectrumListener.Builder#stepSize}), to compare with {@code stabilityEdge};
 *                           NaN when no function was given
 * @param stabilityEdge      2 / (c lambdaMax), the largest stable gradient-descent step on an objective whose
 *                           Gauss-Newton curvature is c J^T J (c = 1 for 1/2 sum_i (f_i - y_i)^2); lambdaMax is
 *                           that of the probe Gram, so this is the full-batch edge only when the probe set is the
 *                           training set (a subset has a smaller lambdaMax and overestimates the edge)
 */
public record NtkSnapshot(int iteration, int epoch, double loss, double[] eigenvalues, double lambdaMin,
                          double lambdaMax, double conditionNumber, double trace, double kernelDrift,
                          double maxNeuronMovement, double patternFlipFraction, double stepSize,
                          double stabilityEdge) {

    /** Column names of {@link #csvRow()}, comma-separated. */
    public static final String CSV_HEADER = "iteration,epoch,loss,lambda_min,lambda_max,condition_number,trace,"
            + "kernel_drift,max_neuron_movement,pattern_flip_fraction,step_size,stability_edge";

    /** @return the scalar fields as one CSV line (no eigenvalues) */
    public String csvRow() {
        return iteration + "," + epoch + "," + loss + "," + lambdaMin + "," + lambdaMax + "," + conditionNumber + ","
                + trace + "," + kernelDrift + "," + maxNeuronMovement + "," + patternFlipFraction + ","
                + stepSize + "," + stabilityEdge;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NtkSnapshot s && csvRow().equals(s.csvRow()) && Arrays.equals(eigenvalues, s.eigenvalues);
    }

    @Override
    public int hashCode() {
        return 31 * csvRow().hashCode() + Arrays.hashCode(eigenvalues);
    }

    @Override
    public String toString() {
        return "NtkSnapshot(" + csvRow() + ")";
    }
}
