package io.github.adaloss.updater;

/**
 * Thrown when a training step would feed a NaN or infinite loss or gradient into an updater and the step cannot
 * be recovered: with {@link Recovery#failFast()} (or before the loss feed has a snapshot) the step is rejected
 * before anything is written, so the parameters, the accumulator and every other updater state of the network
 * are left exactly as they were before the step; when the step recovery gives up (too many rejections in a row,
 * or an accumulator that would overflow), parameters and updater state have been rolled back to the last
 * snapshot. The message says which.
 */
public class NonFiniteValueException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final int iteration;

    /**
     * @param iteration the training iteration whose step was rejected
     * @param message   what was not finite, and where
     */
    public NonFiniteValueException(int iteration, String message) {
        this(iteration, message, "the step was rejected, parameters and updater state are unchanged");
    }

    /**
     * @param iteration the training iteration whose step was rejected
     * @param message   what was not finite, and where
     * @param outcome   what happened to the parameters and the updater state
     */
    NonFiniteValueException(int iteration, String message, String outcome) {
        super("iteration " + iteration + ": " + message + "; " + outcome);
        this.iteration = iteration;
    }

    /** @return the training iteration whose step was rejected */
    public int getIteration() {
        return iteration;
    }
}
