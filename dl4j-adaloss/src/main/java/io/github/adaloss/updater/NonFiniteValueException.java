package io.github.adaloss.updater;

/**
 * Thrown when a training step would feed a NaN or infinite loss or gradient into an updater. The step is
 * rejected before anything is written: the parameters, the accumulator and every other updater state of the
 * network are left exactly as they were before the step.
 */
public class NonFiniteValueException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final int iteration;

    /**
     * @param iteration the training iteration whose step was rejected
     * @param message   what was not finite, and where
     */
    public NonFiniteValueException(int iteration, String message) {
        super("iteration " + iteration + ": " + message
                + "; the step was rejected, parameters and updater state are unchanged");
        this.iteration = iteration;
    }

    /** @return the training iteration whose step was rejected */
    public int getIteration() {
        return iteration;
    }
}
