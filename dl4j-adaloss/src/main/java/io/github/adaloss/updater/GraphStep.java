package io.github.adaloss.updater;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * One training iteration of one SameDiff graph, attached to the graph's updaters by the
 * {@link SameDiffLossFeedListener}.
 *
 * <p>SameDiff's {@code TrainingSession} calls each variable's {@code applyUpdater} as soon as that variable's
 * gradient exists and subtracts the result at once, before the gradients of the other variables are known. This
 * step defers the whole update instead: {@link #contribute} copies the gradient DL4J hands over (L1/L2 already
 * added) into a buffer of the graph, the listener turns DL4J's in-line update into a zero update
 * ({@code preUpdate}), and at {@code iterationDone}, when the loss and every gradient are known, the
 * {@link GraphTrainer} commits all variables together. Updater state therefore changes only at that commit.
 */
final class GraphStep implements UpdateStep {

    private final int iteration;
    private final Map<String, NetworkStepUpdater<?>> byName;
    private final Map<NetworkStepUpdater<?>, String> names = new IdentityHashMap<>();
    private final List<NetworkStep.Member> members = new ArrayList<>();
    private final Map<String, INDArray> buffers;
    private final Map<String, INDArray> gradients = new LinkedHashMap<>();
    private final GraphTrainer trainer;
    private int epoch;
    private boolean closed;

    /**
     * @param iteration the iteration SameDiff will pass to the updaters
     * @param byName    every updater of the graph by its variable's name (see {@link #members})
     * @param buffers   the graph's gradient buffers by variable name, reused from step to step (filled here)
     * @param trainer   the graph's trainer, which finishes the step
     */
    GraphStep(int iteration, Map<String, NetworkStepUpdater<?>> byName, Map<String, INDArray> buffers,
              GraphTrainer trainer) {
        this.iteration = iteration;
        this.trainer = trainer;
        this.byName = byName;
        this.buffers = buffers;
        for (Map.Entry<String, NetworkStepUpdater<?>> e : byName.entrySet()) {
            names.put(e.getValue(), e.getKey());
            members.add(new NetworkStep.Member(e.getValue(), "variable \"" + e.getKey() + "\""));
        }
    }

    /**
     * @param updaterMap the graph's {@code SameDiff.getUpdaterMap()}
     * @return this library's updaters of the map by variable name, in the map's order; empty when the graph
     *         trains with another updater
     */
    static Map<String, NetworkStepUpdater<?>> members(Map<String, GradientUpdater> updaterMap) {
        Map<String, NetworkStepUpdater<?>> members = new LinkedHashMap<>();
        if (updaterMap != null) {
            for (Map.Entry<String, GradientUpdater> e : updaterMap.entrySet()) {
                if (e.getValue() instanceof NetworkStepUpdater<?> u) {
                    members.put(e.getKey(), u);
                }
            }
        }
        return members;
    }

    @Override
    public int iteration() {
        return iteration;
    }

    /** @return the graph's trainer */
    GraphTrainer trainer() {
        return trainer;
    }

    /** @return the epoch DL4J passed with the gradients */
    int epoch() {
        return epoch;
    }

    @Override
    public void contribute(NetworkStepUpdater<?> updater, INDArray gradient, int epoch) {
        if (closed) {
            throw new IllegalStateException("iteration " + iteration + ": the SameDiff step was already committed");
        }
        String name = names.get(updater);
        if (name == null) {
            throw new IllegalStateException("iteration " + iteration + ": an updater that was not part of the "
                    + "SameDiff step was applied; was the training configuration replaced during fit?");
        }
        if (gradients.containsKey(name)) {
            throw new IllegalStateException("iteration " + iteration + ": the updater of variable \"" + name
                    + "\" was applied twice in one step");
        }
        this.epoch = epoch;
        INDArray buffer = buffers.get(name);
        if (buffer == null || buffer.length() != gradient.length() || buffer.dataType() != gradient.dataType()) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                buffer = Nd4j.createUninitialized(gradient.dataType(), gradient.length());
            }
            buffers.put(name, buffer);
        }
        gradients.put(name, buffer.assign(gradient));
    }

    /** @return whether the gradient of this variable arrived in this step (its in-line update must be zeroed) */
    boolean contributed(String variable) {
        return gradients.containsKey(variable);
    }

    /** @return the variables whose gradient arrived, in arrival order, with a 1-D copy of the gradient */
    Map<String, INDArray> gradients() {
        return gradients;
    }

    /** @return every updater of the graph as members, for {@link NetworkStep}'s accumulator helpers */
    List<NetworkStep.Member> members() {
        return members;
    }

    /** @return every updater of the graph by its variable's name */
    Map<String, NetworkStepUpdater<?>> byName() {
        return byName;
    }

    /** @return the updater of a variable of this step */
    NetworkStepUpdater<?> updater(String variable) {
        return byName.get(variable);
    }

    /** Detaches the step from every updater; later {@link #contribute} calls fail. */
    void close() {
        closed = true;
        for (NetworkStepUpdater<?> u : names.keySet()) {
            u.detach(this);
        }
    }

    /** Attaches the step to every updater. */
    void open() {
        for (NetworkStepUpdater<?> u : names.keySet()) {
            u.attach(this);
        }
    }
}
