package io.github.adaloss.experiments.section;

import java.io.IOException;
import java.util.List;

/** What a section produced: its claims, its runs and its part of the report. */
public interface SectionResult {

    /** @return the claims checked on these numbers, in report order (may be empty) */
    List<Claim> claims();

    /**
     * @return every training run in the uniform schema of {@code summary.json} and of the report's run table (may be
     *         empty for sections whose runs do not fit it; they write their own table and JSON)
     */
    default List<RunRecord> runs() {
        return List.of();
    }

    /**
     * Writes the section's part of the report: charts, CSV, JSON and the HTML fragment below its heading (the heading,
     * anchor, claim list and run table are written by the report).
     *
     * @param report where to write
     * @throws IOException if a file cannot be written
     */
    void writeReport(ReportContext report) throws IOException;

    /**
     * @return one short line for the console after the section ran (e.g. "12 runs, 3 claims"), or empty for the
     *         default
     */
    default String consoleSummary() {
        return "";
    }
}
