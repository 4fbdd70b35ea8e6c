package io.github.adaloss.experiments.section;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import java.util.Optional;

/** What a running section gets from the suite. */
public interface SectionContext {

    /** @return the run's options */
    Options options();

    /**
     * @return the progress bar: call {@link Progress#step(String)} once per planned step (see
     *         {@link Section#plannedWork}) with a short label of what just finished
     */
    Progress progress();

    /**
     * @param sectionId id of a section listed in {@link Section#requires()}
     * @param type      the class of its result
     * @param <T>       result type
     * @return its result, empty if that section did not run
     * @throws ClassCastException if the result is not a {@code type}
     */
    <T extends SectionResult> Optional<T> result(String sectionId, Class<T> type);
}
