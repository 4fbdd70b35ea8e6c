package io.github.adaloss.experiments.section;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One training run in the uniform schema of {@code summary.json} and of the report's run table: every record has the
 * same fields, whatever its section.
 *
 * @param section   id of the section that ran it
 * @param optimizer optimizer name
 * @param parameter name of the varied hyperparameter ("b0", "lr", "P/n", ...)
 * @param value     its value
 * @param seed      the run's seed
 * @param status    the verdict against the section's target, short ("reached at 123", "not reached", "diverged",
 *                  "accuracy 0.987")
 * @param metrics   the run's numbers by name in display order (full precision; the report rounds them), e.g. width,
 *                  iterations to target, final loss, final b, accuracy; NaN for "not applicable"
 */
public record RunRecord(String section, String optimizer, String parameter, double value, long seed, String status,
                        Map<String, Double> metrics) {

    /** Copies. */
    public RunRecord {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
