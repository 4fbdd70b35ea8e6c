package io.github.adaloss.ntk.kernel;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Which entries of a network's flattened parameter vector are trainable: those of layers that are not frozen
 * ({@code FrozenLayer}, {@code FrozenLayerWithBackprop}) and whose configured updater is not {@link NoOp}
 * (BatchNorm's running mean/variance are NoOp).
 */
final class TrainableParameters {

    /** Half-open ranges [start, end) of trainable entries in the flattened parameter vector, in order. */
    final List<long[]> ranges = new ArrayList<>();
    /** Total number of trainable entries. */
    final long count;

    TrainableParameters(Model net) {
        long total = 0;
        for (UpdaterBlock block : updaterBlocks(net)) {
            for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                if (!isFrozen(p.getLayer()) && isTrainable(p.getLayer().getConfig(), p.getParamName())) {
                    ranges.add(new long[] {p.getParamOffsetStart(), p.getParamOffsetEnd()});
                    total += p.getParamOffsetEnd() - p.getParamOffsetStart();
                }
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        this.count = total;
    }

    /**
     * DL4J's frozen layer implementations report the wrapped layer's configuration (and so its updater), but
     * their gradient is always zero: recognise them by class.
     */
    static boolean isFrozen(Object layer) {
        return layer instanceof org.deeplearning4j.nn.layers.FrozenLayer
                || layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
    }

    static boolean isTrainable(TrainingConfig config, String param) {
        return !(config.getUpdaterByParam(param) instanceof NoOp);
    }

    /** DL4J's updater blocks of a MultiLayerNetwork or ComputationGraph (empty for other models). */
    private static List<UpdaterBlock> updaterBlocks(Model model) {
        Updater updater = model instanceof MultiLayerNetwork mln ? mln.getUpdater()
                : model instanceof ComputationGraph cg ? cg.getUpdater() : null;
        return updater instanceof BaseMultiLayerUpdater<?> multi ? multi.getUpdaterBlocks() : List.of();
    }
}
