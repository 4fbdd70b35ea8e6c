package io.github.adaloss.updater;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training step an updater block or variable takes part in: the {@link NetworkStep} of a MultiLayerNetwork or
 * ComputationGraph (opened by {@link LossFeedListener}) or the {@link GraphStep} of a SameDiff graph (opened by
 * {@link SameDiffLossFeedListener}). {@link NetworkStepUpdater#applyUpdater} hands its gradient to the step
 * attached to it.
 */
interface UpdateStep {

    /** @return the iteration this step belongs to */
    int iteration();

    /**
     * Receives one updater's gradient for this step.
     *
     * @param updater  the updater DL4J called
     * @param gradient its gradient, a 1-D view that becomes the update when the step commits it
     * @param epoch    the epoch DL4J passed
     */
    void contribute(NetworkStepUpdater<?> updater, INDArray gradient, int epoch);
}
