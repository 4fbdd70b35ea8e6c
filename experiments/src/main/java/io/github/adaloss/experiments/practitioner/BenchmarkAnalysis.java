package io.github.adaloss.experiments.practitioner;

import java.util.List;

/** Tables of the realistic benchmark (placeholder until the analysis lands). */
public final class BenchmarkAnalysis {

    private BenchmarkAnalysis() {
    }

    /**
     * @param runs runs
     * @return text tables
     */
    public static String text(List<PracticeRun> runs) {
        return runs.size() + " runs";
    }
}
