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
     * DL4J groups adjacent parameters with equal updater configurations into blocks; every parameter of the
     * network is in exactly one block, with its offsets in the flattened parameter vector.
     *
     * @return the network's updater blocks (DL4J creates the updater if the network has none yet)
     */
    private static List<UpdaterBlock> updaterBlocks(Model net) {
        Updater updater = net instanceof MultiLayerNetwork mln ? mln.getUpdater()
                : net instanceof ComputationGraph cg ? cg.getUpdater() : null;
        if (updater instanceof BaseMultiLayerUpdater<?> multi) {
            return multi.getUpdaterBlocks();
        }
        throw new IllegalArgumentException("net must be a MultiLayerNetwork or ComputationGraph with DL4J's updater, "
                + "got " + (net == null ? "null" : net.getClass().getName()));
    }

    /**
     * DL4J's frozen layer implementations report the wrapped layer's configuration (and so its updater), but
     * their gradient is always zero: recognise them by class. In a ComputationGraph the updater's parameter states
     * name the vertex, not its layer: a layer vertex is looked through.
     */
    static boolean isFrozen(Object trainable) {
        Object layer = trainable instanceof org.deeplearning4j.nn.graph.vertex.GraphVertex v && v.hasLayer()
                ? v.getLayer() : trainable;
        return layer instanceof org.deeplearning4j.nn.layers.FrozenLayer
                || layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
    }

    static boolean isTrainable(TrainingConfig config, String param) {
        return !(config.getUpdaterByParam(param) instanceof NoOp);
    }
}
