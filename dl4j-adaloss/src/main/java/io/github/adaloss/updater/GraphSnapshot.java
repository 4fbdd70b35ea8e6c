package io.github.adaloss.updater;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A copy of the trainable variables and/or of the updater state of a SameDiff graph, taken and restored by the
 * {@link GraphTrainer}. The copies are reused from one capture to the next.
 */
final class GraphSnapshot {

    private final Map<String, INDArray> params = new LinkedHashMap<>();
    private final Map<NetworkStepUpdater<?>, List<INDArray>> states = new IdentityHashMap<>();
    private boolean withParams;

    /**
     * @param sd         the graph
     * @param members    its updaters by variable name
     * @param withParams whether to copy the variables too (only the updater state otherwise)
     */
    void capture(SameDiff sd, Map<String, NetworkStepUpdater<?>> members, boolean withParams) {
        this.withParams = withParams;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            for (Map.Entry<String, NetworkStepUpdater<?>> e : members.entrySet()) {
                if (withParams) {
                    params.put(e.getKey(), copyInto(params.get(e.getKey()), sd.getVariable(e.getKey()).getArr()));
                }
                List<INDArray> previous = states.get(e.getValue());
                List<INDArray> copies = new ArrayList<>();
                int i = 0;
                for (INDArray a : e.getValue().stateArrays()) {
                    copies.add(copyInto(previous != null && i < previous.size() ? previous.get(i) : null, a));
                    i++;
                }
                states.put(e.getValue(), copies);
            }
        }
    }

    /** Writes the copies back into the graph's variables (if captured) and updater state. */
    void restore(SameDiff sd, Map<String, NetworkStepUpdater<?>> members) {
        for (Map.Entry<String, NetworkStepUpdater<?>> e : members.entrySet()) {
            if (withParams) {
                sd.getVariable(e.getKey()).getArr().assign(params.get(e.getKey()));
            }
            List<INDArray> copies = states.get(e.getValue());
            int i = 0;
            for (INDArray a : e.getValue().stateArrays()) {
                a.assign(copies.get(i++));
            }
        }
    }

    private static INDArray copyInto(INDArray target, INDArray source) {
        if (target == null || target.length() != source.length() || target.dataType() != source.dataType()) {
            return source.dup();
        }
        return target.assign(source);
    }
}
