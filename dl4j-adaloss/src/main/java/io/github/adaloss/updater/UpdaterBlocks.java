package io.github.adaloss.updater;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.LayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.deeplearning4j.nn.updater.UpdaterBlock;

/**
 * The updater blocks of a {@link MultiLayerNetwork} or {@link ComputationGraph}: DL4J groups adjacent parameters
 * with equal updater configurations into one block, each with its own {@code GradientUpdater} and a slice of the
 * network's updater state.
 */
final class UpdaterBlocks {

    private UpdaterBlocks() {
    }

    /**
     * @param model a network
     * @return its updater blocks in DL4J's order (creating the updater if the network has none yet); an empty
     *         list for other kinds of model
     */
    static List<UpdaterBlock> of(Model model) {
        Updater updater = updaterOf(model);
        if (updater instanceof BaseMultiLayerUpdater<?> multi) {
            return multi.getUpdaterBlocks();
        }
        return List.of();
    }

    /** @return the network's updater (created if needed), or {@code null} for other models */
    static Updater updaterOf(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.getUpdater();
        }
        if (model instanceof ComputationGraph cg) {
            return cg.getUpdater();
        }
        return null;
    }

    /** @return the network's whole updater state view (every block), or {@code null} */
    static INDArray stateView(Model model) {
        Updater updater = updaterOf(model);
        return updater instanceof BaseMultiLayerUpdater<?> multi ? multi.getStateViewArray() : null;
    }

    /**
     * @param model a network
     * @return the blocks whose updater is one of this library's and that DL4J updates during supervised fit, as
     *         members of a {@link NetworkStep}
     */
    static List<NetworkStep.Member> networkStepMembers(Model model) {
        Updater updater = updaterOf(model);
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            return List.of();
        }
        boolean layerUpdater = updater instanceof LayerUpdater;
        List<NetworkStep.Member> members = new ArrayList<>();
        for (UpdaterBlock block : multi.getUpdaterBlocks()) {
            // DL4J skips the blocks of pretrain-only parameters (AutoEncoder/VAE decoder) during supervised fit
            if (block.getGradientUpdater() instanceof NetworkStepUpdater<?> u
                    && !block.skipDueToPretrainConfig(layerUpdater)) {
                members.add(new NetworkStep.Member(u, () -> label(block), block));
            }
        }
        return members;
    }

    /**
     * @param model a network
     * @return the first block updater that carries a network accumulator, or {@code null}
     */
    static NetworkStepUpdater<?> firstAccumulator(Model model) {
        return firstAccumulator(networkStepMembers(model));
    }

    /**
     * @param model a network
     * @return the first block updater of this package that DL4J updates during supervised fit (it holds the
     *         network's {@link NetworkGuard}), found without building the member list (hot path), or {@code null}
     */
    static NetworkStepUpdater<?> firstMemberBlock(Model model) {
        Updater updater = updaterOf(model);
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            return null;
        }
        boolean layerUpdater = updater instanceof LayerUpdater;
        for (UpdaterBlock block : multi.getUpdaterBlocks()) {
            if (block.getGradientUpdater() instanceof NetworkStepUpdater<?> u
                    && !block.skipDueToPretrainConfig(layerUpdater)) {
                return u;
            }
        }
        return null;
    }

    /** @return the first member's updater, which holds the network's {@link NetworkGuard}, or {@code null} */
    static NetworkStepUpdater<?> guardHolder(List<NetworkStep.Member> members) {
        return members.isEmpty() ? null : members.get(0).updater();
    }

    /** @return the first accumulator member's updater, or {@code null} */
    static NetworkStepUpdater<?> firstAccumulator(List<NetworkStep.Member> members) {
        for (NetworkStep.Member m : members) {
            if (m.updater().accumulatorSpec() != null) {
                return m.updater();
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
