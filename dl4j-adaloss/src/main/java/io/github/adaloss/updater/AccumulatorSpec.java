package io.github.adaloss.updater;

/**
 * What drives a network-level accumulator {@code b^2}: every updater block of one network that carries an
 * accumulator must have an equal spec, because they share one {@code b}.
 *
 * @param rule   which quantity is added to {@code b^2} at each step
 * @param b0     initial value {@code b_0 > 0}
 * @param alpha  scale of the loss increment (ignored by {@link Rule#GRADIENT_NORM})
 * @param offset the loss offset {@code c} (ignored by {@link Rule#GRADIENT_NORM})
 */
record AccumulatorSpec(Rule rule, double b0, double alpha, double offset) {

    /** The increment rule of {@code b^2}. */
    public enum Rule {
        /** {@code b^2 += alpha * |loss - c|} (AdaLoss, AdamLoss). */
        LOSS,
        /** {@code b^2 += ||g||^2}, the squared norm of the whole network's gradient (AdaGrad-Norm). */
        GRADIENT_NORM
    }

    /** @return the increment of {@code b^2} for one step, given the loss and the network's squared gradient norm */
    double increment(double loss, double gradientSquaredNorm) {
        return rule == Rule.LOSS ? alpha * Math.abs(loss - offset) : gradientSquaredNorm;
    }
}
