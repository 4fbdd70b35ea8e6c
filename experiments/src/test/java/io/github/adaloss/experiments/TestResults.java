package io.github.adaloss.experiments;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.synthetic.NtkExperiment;
import java.util.List;

/** Builds {@link Suite.Results} holding only the synthetic sections. */
final class TestResults {

    private TestResults() {
    }

    static Suite.Results synthetic(Options o, List<RunResult> robustness, List<RunResult> momentum,
                                   List<NtkExperiment.NtkRun> ntk) {
        return new Suite.Results(o, robustness, momentum, ntk, List.of(), List.of(), "skipped (--no-real-data)", null,
                null, null, java.util.Map.of());
    }
}
