package io.github.adaloss.it.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Records {@code model.score()} at {@code onGradientCalculation}: the mini-batch loss at the pre-update parameters,
 * exactly the value {@link io.github.adaloss.updater.LossFeedListener} hands to the AdaLoss accumulator at the same
 * point of the step. Used to check {@code b_T^2 = b_0^2 + alpha * sum_t |l_t - c|} against the network's state.
 * Single network, single thread.
 */
public final class LossRecorder extends BaseTrainingListener {

    private final List<Double> losses = new ArrayList<>();

    @Override
    public void onGradientCalculation(Model model) {
        losses.add(model.score());
    }

    /** @return the recorded losses, in step order */
    public List<Double> losses() {
        return Collections.unmodifiableList(losses);
    }

    /** @return the first recorded loss */
    public double first() {
        return losses.get(0);
    }

    /**
     * @param alpha  AdaLoss alpha
     * @param offset AdaLoss offset c
     * @return {@code alpha * sum_t |l_t - c|}
     */
    public double accumulatedIncrement(double alpha, double offset) {
        double sum = 0;
        for (double l : losses) {
            sum += alpha * Math.abs(l - offset);
        }
        return sum;
    }

    /**
     * @param b0     initial accumulator
     * @param alpha  AdaLoss alpha
     * @param offset AdaLoss offset c
     * @return the closed form {@code b_T = sqrt(b_0^2 + alpha * sum_t |l_t - c|)} over the recorded steps
     */
    public double expectedAccumulator(double b0, double alpha, double offset) {
        return Math.sqrt(b0 * b0 + accumulatedIncrement(alpha, offset));
    }
}
