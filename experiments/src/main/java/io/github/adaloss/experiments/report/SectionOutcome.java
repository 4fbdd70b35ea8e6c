package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.section.SectionResult;

/**
 * One section of a finished run, as the report shows it.
 *
 * @param id      section id (HTML anchor)
 * @param title   heading
 * @param result  what it produced, null if it did not run
 * @param seconds wall-clock seconds it took (0 if it did not run)
 * @param note    why it did not run (null if it ran)
 */
public record SectionOutcome(String id, String title, SectionResult result, double seconds, String note) {
}
