/**
 * The main job's section abstraction: a {@link io.github.adaloss.experiments.section.Section} runs with the options
 * and the progress of a {@link io.github.adaloss.experiments.section.SectionContext}, and returns a
 * {@link io.github.adaloss.experiments.section.SectionResult} that lists its
 * {@link io.github.adaloss.experiments.section.Claim}s, its runs in the uniform
 * {@link io.github.adaloss.experiments.section.RunRecord} schema, and writes its part of the report through a
 * {@link io.github.adaloss.experiments.section.ReportContext}. This package depends on no section and on no report
 * implementation.
 */
package io.github.adaloss.experiments.section;
