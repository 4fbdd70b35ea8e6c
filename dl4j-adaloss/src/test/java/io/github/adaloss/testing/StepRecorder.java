package io.github.adaloss.testing;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Training listener that records, right before each update (DL4J's {@code onGradientCalculation}), the loss, the
 * parameters and the (not yet averaged) gradient, so a test can recompute the step by hand.
 */
public final class StepRecorder extends BaseTrainingListener {

    /** Loss ({@code model.score()}) of each step. */
    public final List<Double> losses = new ArrayList<>();
    /** Parameters before each step. */
    public final List<double[]> params = new ArrayList<>();
    /** Raw gradient of each step. */
    public final List<double[]> gradients = new ArrayList<>();

    @Override
    public void onGradientCalculation(Model model) {
        losses.add(model.score());
        params.add(model.params().toDoubleVector());
        gradients.add(model.gradient().gradient().toDoubleVector());
    }
}
