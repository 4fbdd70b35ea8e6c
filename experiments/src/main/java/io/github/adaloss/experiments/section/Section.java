package io.github.adaloss.experiments.section;

import io.github.adaloss.experiments.cli.Options;
import java.util.List;

/**
 * One section of the main job: an experiment, its claims and its part of the report. The suite is a list of sections
 * (see {@code io.github.adaloss.experiments.Suite#SECTIONS}); a new section is one new package holding an
 * implementation of this interface, plus one line in that list.
 */
public interface Section {

    /**
     * @return the short identifier: lower case, digits and '-' only; used by {@code --only} / {@code --skip}, as the
     *         HTML anchor of the section, and as prefix of its file names (charts, CSV)
     */
    String id();

    /** @return the section's heading in the report (without number) */
    String title();

    /**
     * @param options the run's options
     * @return the work this section plans for these options: its number of progress steps and their estimated
     *         cost, which weights the progress bar and the ETA against the other sections
     */
    Work plannedWork(Options options);

    /**
     * @return ids of sections whose results this one reads through {@link SectionContext#result}; the suite runs
     *         them first, and adds them when they were not selected
     */
    default List<String> requires() {
        return List.of();
    }

    /**
     * @param context options, progress and the results of the sections run before
     * @return the result: claims, runs, report part
     * @throws Exception if the section cannot run (e.g. a data file cannot be read)
     */
    SectionResult run(SectionContext context) throws Exception;
}
