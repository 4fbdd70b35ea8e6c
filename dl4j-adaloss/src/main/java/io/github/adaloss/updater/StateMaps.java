package io.github.adaloss.updater;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Access to {@code GradientUpdater.setState} maps with errors that name the missing key. */
final class StateMaps {

    private StateMaps() {
    }

    static INDArray require(Map<String, INDArray> state, String updater, String key) {
        INDArray a = state == null ? null : state.get(key);
        if (a == null) {
            throw new IllegalArgumentException(updater + ": state map must contain key \"" + key + "\", got keys "
                    + (state == null ? "null" : state.keySet()));
        }
        return a;
    }
}
