package io.github.adaloss.updater;

import java.util.Collection;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Base of this package's {@link GradientUpdater}s: one instance serves one DL4J updater block (or one variable of a
 * SameDiff graph), and the blocks of one network take part in a shared {@link NetworkStep} at each iteration (the
 * variables of a graph in a {@link GraphStep}).
 *
 * <p>{@link #applyUpdater} does not transform the gradient straight away: it hands the block's gradient view to
 * the step, and when the last block of the network has arrived the step validates all of them and commits them
 * together ({@link #commit}). DL4J subtracts the update from the parameters only after every block has been
 * processed, so the deferral is invisible to it. Updaters with a network accumulator keep {@code b^2} in the
 * last two slots of their state view (see {@link CompensatedScalar}); every block stores a copy of the same
 * value.
 *
 * @param <T> the configuration type
 */
abstract class NetworkStepUpdater<T extends IUpdater> implements GradientUpdater<T> {

    /** State-map key of the accumulator slots ({@code b^2} as {@code hi + lo}). */
    public static final String B2_STATE = "B2";

    /** The configuration. */
    protected final T config;
    private CompensatedScalar accumulator;
    private UpdateStep step;
    private NetworkGuard guard;
    private GraphTrainer graphTrainer;

    /** @param config the configuration */
    protected NetworkStepUpdater(T config) {
        this.config = config;
    }

    @Override
    public T getConfig() {
        return config;
    }

    /** @return the accumulator spec shared by the network's blocks, or {@code null} when there is no accumulator */
    abstract AccumulatorSpec accumulatorSpec();

    /** @return true when training cannot proceed without a {@link NetworkStep} (loss feed) */
    boolean requiresNetworkStep() {
        return accumulatorSpec() != null;
    }

    /**
     * Turns the validated gradient of this block into its update, in place, and advances this block's state.
     * Called only after every block of the step has been validated, so it must not fail.
     *
     * @param gradient      this block's gradient (1-D view), to be overwritten with the update
     * @param bSquared      the network accumulator {@code b_{t+1}^2} after this step's increment (NaN when the
     *                      updater has no accumulator)
     * @param iteration     the iteration
     * @param epoch         the epoch
     */
    protected abstract void commit(INDArray gradient, double bSquared, int iteration, int epoch);

    /** @return the current accumulator {@code b_t} of this block, or NaN when there is none */
    double currentB() {
        return accumulator == null ? Double.NaN : Math.sqrt(accumulator.get());
    }

    /** @return the current {@code b_t^2}, or NaN when there is none */
    double currentBSquared() {
        return accumulator == null ? Double.NaN : accumulator.get();
    }

    /** @return the largest {@code b^2} the state view's data type can store (infinite when there is none) */
    double maxBSquared() {
        return accumulator == null ? Double.POSITIVE_INFINITY : accumulator.max();
    }

    /** Package-private: writes the accumulator (commit of a {@link NetworkStep}). */
    void writeBSquared(double value) {
        accumulator.set(value);
    }

    /**
     * Binds the accumulator to the last two slots of {@code view} and, if asked, initialises it to {@code b0^2}.
     *
     * @param view       the block's 1-D state view
     * @param initialize whether to write the initial value
     */
    protected final void bindAccumulator(INDArray view, boolean initialize) {
        long n = view.length();
        if (n < 2) {
            throw new IllegalStateException(config.getClass().getSimpleName()
                    + ": updater state view must hold at least 2 values, got " + n);
        }
        accumulator = new CompensatedScalar(view.get(NDArrayIndex.interval(n - 2, n)));
        if (initialize) {
            double b0 = accumulatorSpec().b0();
            accumulator.set(b0 * b0);
        }
    }

    /**
     * Binds the accumulator to a 2-element array from a state map.
     *
     * @param slots      the {@link #B2_STATE} array
     * @param initialize whether to write the initial value
     */
    protected final void bindAccumulatorSlots(INDArray slots, boolean initialize) {
        bindAccumulator(slots.reshape(slots.length()), initialize);
    }

    /**
     * @return every array of this updater's state, live (writing into them changes the state); used to snapshot
     *         and restore the state of a SameDiff graph. Defaults to the values of {@link #getState()}.
     */
    Collection<INDArray> stateArrays() {
        return getState().values();
    }

    /** Adds the accumulator slots to a state map. */
    protected final void putAccumulatorState(Map<String, INDArray> state) {
        if (accumulator != null) {
            state.put(B2_STATE, accumulator.slots());
        }
    }

    /**
     * Joins this block to the step of the coming update. Called by the
     * {@link io.github.adaloss.updater.LossFeedListener} through {@link NetworkStep#open}, or by the
     * {@link SameDiffLossFeedListener} for a SameDiff graph.
     */
    void attach(UpdateStep networkStep) {
        this.step = networkStep;
    }

    /** @return this block's recovery state (created on first use) */
    NetworkGuard guard() {
        if (guard == null) {
            guard = new NetworkGuard();
        }
        return guard;
    }

    /**
     * @return the SameDiff graph state held by this updater (created on first use): the first updater of a graph's
     *         updater map holds it, as the first accumulator block holds a network's {@link NetworkGuard}
     */
    GraphTrainer graphTrainer() {
        if (graphTrainer == null) {
            graphTrainer = new GraphTrainer();
        }
        return graphTrainer;
    }

    /** @return the SameDiff graph state held by this updater, or {@code null} if none was created */
    GraphTrainer existingGraphTrainer() {
        return graphTrainer;
    }

    /** @return this block's recovery state, or {@code null} if none was created */
    NetworkGuard existingGuard() {
        return guard;
    }

    /** Leaves a finished or abandoned step. */
    void detach(UpdateStep networkStep) {
        if (this.step == networkStep) {
            this.step = null;
        }
    }

    @Override
    public final void applyUpdater(INDArray gradient, int iteration, int epoch) {
        INDArray flat = gradient.reshape(gradient.length());
        UpdateStep current = step;
        if (current == null || current.iteration() != iteration) {
            if (requiresNetworkStep()) {
                throw new IllegalStateException(missingFeedMessage(iteration));
            }
            NetworkStep.standalone(this, flat, iteration, epoch);
            return;
        }
        current.contribute(this, flat, epoch);
    }

    private String missingFeedMessage(int iteration) {
        String name = config.getClass().getSimpleName();
        return name + " needs the loss of every mini-batch and one step per network, but no loss feed reached its "
                + "updater block at iteration " + iteration + ". Attach the listener before fit(): "
                + "net.addListeners(new io.github.adaloss.updater.LossFeedListener()) "
                + "(ParallelWrapper: wrapper.setListeners(...); Spark: sparkNet.setListeners(...); SameDiff: "
                + "sd.addListeners(new io.github.adaloss.updater.SameDiffLossFeedListener()); listeners are not "
                + "saved with a model, so add it again after ModelSerializer.restore... or SameDiff.load).";
    }
}
