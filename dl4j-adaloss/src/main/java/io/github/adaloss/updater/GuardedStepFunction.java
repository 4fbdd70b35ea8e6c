package io.github.adaloss.updater;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.deeplearning4j.optimize.api.StepFunction;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.deeplearning4j.optimize.solvers.StochasticGradientDescent;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The commit point of a guarded training step: wraps the {@link StepFunction} of DL4J's
 * {@link StochasticGradientDescent} (the {@code params -= update} that runs after every updater block and before
 * any listener's {@code iterationDone}) and hands it to the network's {@link NetworkGuard}, which applies the
 * update only if the step was accepted and the update is finite, and otherwise restores the snapshot.
 *
 * <p>Why here: DL4J's training step is {@code onGradientCalculation} (all listeners), the updater blocks,
 * {@code stepFunction.step(params, update)}, then {@code iterationDone} (all listeners). A rollback done in a
 * listener is seen by the listeners on one side of it in the rejected state; the step function is the one place
 * between the last updater block and the first {@code iterationDone}. DL4J offers no public way to set it
 * ({@code StepFunctions.createStepFunction} accepts only its four built-in kinds), so {@link #install} sets the
 * protected field {@code BaseOptimizer.stepFunction} by reflection at the first step of each optimizer (the field
 * exists in DL4J 1.0.0-M2.1; the class path, not the module path, is assumed). If it cannot, or the optimizer is
 * not stochastic gradient descent, training stops with an {@link IllegalStateException} at the first step instead
 * of running unguarded.
 */
final class GuardedStepFunction implements StepFunction {

    private static final long serialVersionUID = 1L;
    private static final Field STEP_FUNCTION = stepFunctionField();

    private final StepFunction delegate;
    private transient NetworkGuard guard;
    private transient Model model;
    private transient int iteration;

    private GuardedStepFunction(StepFunction delegate) {
        this.delegate = delegate;
    }

    private static Field stepFunctionField() {
        try {
            Field f = BaseOptimizer.class.getDeclaredField("stepFunction");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Makes the optimizer of {@code model} commit its next step through {@code guard}.
     *
     * @throws IllegalStateException if the optimizer is not DL4J's stochastic gradient descent or its step
     *                               function cannot be replaced
     */
    static void install(Model model, NetworkGuard guard, int iteration) {
        ConvexOptimizer optimizer = model instanceof MultiLayerNetwork mln ? mln.getOptimizer()
                : model instanceof ComputationGraph cg ? cg.getOptimizer() : null;
        if (!(optimizer instanceof StochasticGradientDescent sgd)) {
            throw new IllegalStateException("LossFeedListener guards DL4J's StochasticGradientDescent optimizer "
                    + "(optimizationAlgo STOCHASTIC_GRADIENT_DESCENT, the default), got "
                    + (optimizer == null ? "none" : optimizer.getClass().getName()));
        }
        if (STEP_FUNCTION == null) {
            throw new IllegalStateException("LossFeedListener cannot reach BaseOptimizer.stepFunction (is this "
                    + "DL4J 1.0.0-M2.1 on the class path?): without it a rejected step would be visible to listeners");
        }
        try {
            StepFunction current = (StepFunction) STEP_FUNCTION.get(sgd);
            GuardedStepFunction guarded;
            if (current instanceof GuardedStepFunction g) {
                guarded = g;
            } else {
                guarded = new GuardedStepFunction(current);
                STEP_FUNCTION.set(sgd, guarded);
            }
            guarded.guard = guard;
            guarded.model = model;
            guarded.iteration = iteration;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("LossFeedListener cannot set BaseOptimizer.stepFunction", e);
        }
    }

    @Override
    public void step(INDArray x, INDArray line, double step) {
        NetworkGuard g = guard;
        guard = null;
        Model m = model;
        model = null;
        // a guard armed by a step that was aborted (a listener threw) must not act on a later step
        if (g == null || UpdaterBlocks.iterationCount(m) != iteration) {
            delegate.step(x, line, step);
        } else {
            g.commit(m, iteration, x, line, step, delegate);
        }
    }

    @Override
    public void step(INDArray x, INDArray line) {
        step(x, line, 1.0);
    }

    @Override
    public void step() {
        delegate.step();
    }
}
