package io.github.adaloss.experiments.practitioner;

import java.util.Map;

/**
 * A goal of issue 11 checked on the suite's numbers (independent of the main job's claim type; the section adapter
 * converts it).
 *
 * @param text     the goal, one sentence
 * @param holds    whether the numbers meet it
 * @param evidence the numbers, by name, in display order
 */
public record Verdict(String text, boolean holds, Map<String, Object> evidence) {
}
