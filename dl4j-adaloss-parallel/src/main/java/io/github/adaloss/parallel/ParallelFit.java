package io.github.adaloss.parallel;

import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ParallelWrapper.fit(...)} that keeps the network's updater state (Adam moments, the AdaLoss accumulator
 * {@code b}, ...) for the next {@code fit} call, as {@code MultiLayerNetwork.fit} does.
 *
 * <p>Why: with DL4J 1.0.0-M2.1's default trainer ({@code DefaultTrainer}), worker 0 trains the wrapped network
 * itself and, when {@code fit} ends, calls {@code MultiLayerNetwork.clear()}, which sets the network's
 * {@code Solver} to null. The {@code Updater} that lived in that solver, and its state view array (which, with
 * parameter averaging and {@code averageUpdaters(true)}, holds the state averaged over the workers), is dropped;
 * the next {@code getUpdater()} / {@code fit} builds a new updater with zero state. So every {@code fit} call
 * restarts Adam's moments and resets AdaLoss' {@code b} to {@code b0}.
 *
 * <p>What this does: take the network's updater object before {@code wrapper.fit} (creating it if needed, so that
 * worker 0 trains with that very object and the other workers copy its state view when they start), run
 * {@code wrapper.fit}, then put the same object back with the public {@code MultiLayerNetwork.setUpdater(Updater)}
 * ({@code ComputationGraph.setUpdater(ComputationGraphUpdater)}). Nothing is copied. For a ComputationGraph,
 * {@code clear()} does not touch the solver in M2.1, so the call is a harmless re-set there.
 *
 * <p>Limits: only the parameter-averaging path ({@code ParallelWrapper.TrainingMode.AVERAGING}, the default) was
 * checked; the state kept is the root network's, i.e. the averaged state when {@code averageUpdaters} is on
 * (default) and worker 0's own state otherwise. Not for {@code SHARED_GRADIENTS} (which did not survive a second
 * {@code fit} in M2.1). Not thread-safe: one {@code fit} at a time per wrapper, as for {@code ParallelWrapper}.
 */
public final class ParallelFit {

    private static final Logger log = LoggerFactory.getLogger(ParallelFit.class);

    private ParallelFit() {
    }

    /**
     * {@code wrapper.fit(data)}, keeping {@code model}'s updater state for the next call.
     *
     * @param wrapper the wrapper, built on {@code model}
     * @param model   the network given to {@code new ParallelWrapper.Builder<>(model)}: a MultiLayerNetwork or
     *                ComputationGraph
     * @param data    the training data
     */
    public static void fit(ParallelWrapper wrapper, Model model, DataSetIterator data) {
        Objects.requireNonNull(data, "data");
        Runnable restore = keep(wrapper, model);
        try {
            wrapper.fit(data);
        } finally {
            restore.run();
        }
    }

    /**
     * {@code wrapper.fit(data)} for multi-input/output data, keeping {@code model}'s updater state.
     *
     * @param wrapper the wrapper, built on {@code model}
     * @param model   the network given to the wrapper's builder (usually a ComputationGraph)
     * @param data    the training data
     */
    public static void fit(ParallelWrapper wrapper, Model model, MultiDataSetIterator data) {
        Objects.requireNonNull(data, "data");
        Runnable restore = keep(wrapper, model);
        try {
            wrapper.fit(data);
        } finally {
            restore.run();
        }
    }

    private static Runnable keep(ParallelWrapper wrapper, Model model) {
        Objects.requireNonNull(wrapper, "wrapper");
        Objects.requireNonNull(model, "model");
        if (model instanceof MultiLayerNetwork net) {
            Updater updater = net.getUpdater(true);
            return () -> {
                net.setUpdater(updater);
                log.debug("restored the updater of {} after ParallelWrapper.fit", net.getClass().getSimpleName());
            };
        }
        if (model instanceof ComputationGraph graph) {
            ComputationGraphUpdater updater = graph.getUpdater(true);
            return () -> graph.setUpdater(updater);
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                + model.getClass().getName());
    }
}
