package io.github.adaloss.feed;

import io.github.adaloss.updater.NetworkStep;
import io.github.adaloss.updater.NetworkStepUpdater;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;

/**
 * The updater blocks of a {@link MultiLayerNetwork} or {@link ComputationGraph}: DL4J groups adjacent parameters
 * with equal updater configurations into one block, each with its own {@code GradientUpdater} and a slice of the
 * network's updater state.
 */
public final class UpdaterBlocks {

    private UpdaterBlocks() {
    }

    /**
     * @param model a network
     * @return its updater blocks in DL4J's order (creating the updater if the network has none yet); an empty
     *         list for other kinds of model
     */
    public static List<UpdaterBlock> of(Model model) {
        Updater updater;
        if (model instanceof MultiLayerNetwork mln) {
            updater = mln.getUpdater();
        } else if (model instanceof ComputationGraph cg) {
            updater = cg.getUpdater();
        } else {
            return List.of();
        }
        if (updater instanceof BaseMultiLayerUpdater<?> multi) {
            return multi.getUpdaterBlocks();
        }
        return List.of();
    }

    /**
     * @param model a network
     * @return the blocks whose updater is one of this library's, as members of a {@link NetworkStep}
     */
    public static List<NetworkStep.Member> networkStepMembers(Model model) {
        List<NetworkStep.Member> members = new ArrayList<>();
        for (UpdaterBlock block : of(model)) {
            if (block.getGradientUpdater() instanceof NetworkStepUpdater<?> u) {
                members.add(new NetworkStep.Member(u, () -> label(block)));
            }
        }
        return members;
    }

    /**
     * @param model a network
     * @return the first block updater that carries a network accumulator, or {@code null}
     */
    public static NetworkStepUpdater<?> firstAccumulator(Model model) {
        for (UpdaterBlock block : of(model)) {
            if (block.getGradientUpdater() instanceof NetworkStepUpdater<?> u && u.accumulatorSpec() != null) {
                return u;
            }
        }
        return null;
    }

    /** @return e.g. {@code "[layer 0: W, b]"} for error messages */
    static String label(UpdaterBlock block) {
        StringBuilder sb = new StringBuilder("[");
        String lastLayer = null;
        for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
            String layer = p.getLayer().getConfig().getLayerName();
            if (!layer.equals(lastLayer)) {
                sb.append(lastLayer == null ? "" : "; ").append("layer ").append(layer).append(": ");
                lastLayer = layer;
            } else {
                sb.append(", ");
            }
            sb.append(p.getParamName());
        }
        return sb.append(']').toString();
    }

    /** @return the iteration count DL4J passes to the updaters next */
    static int iterationCount(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.getIterationCount();
        }
        if (model instanceof ComputationGraph cg) {
            return cg.getIterationCount();
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /** @return the epoch count DL4J passes to the updaters next */
    static int epochCount(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.getEpochCount();
        }
        if (model instanceof ComputationGraph cg) {
            return cg.getEpochCount();
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }
}
