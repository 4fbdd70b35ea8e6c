package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The realistic benchmark's raw runs as committed with the experiments (resource {@link #RESOURCE}, the
 * {@code runs.csv} that {@link RealisticBenchmark} wrote; the same file is {@code docs/data/benchmark-runs.csv}).
 */
public final class BenchmarkRuns {

    /** Class-path resource of the committed runs. */
    public static final String RESOURCE = "benchmark-runs.csv";
    /** Class-path resource of the committed runs of the tuning seeds ({@code docs/data/benchmark-tuning-runs.csv}). */
    public static final String TUNING_RESOURCE = "benchmark-tuning-runs.csv";

    private BenchmarkRuns() {
    }

    /** @return the committed runs (empty when the resource is absent) */
    public static List<PracticeRun> committed() {
        return read(RESOURCE);
    }

    /** @return the committed runs of the tuning seeds, from which defaults are chosen (empty when absent) */
    public static List<PracticeRun> tuning() {
        return read(TUNING_RESOURCE);
    }

    private static List<PracticeRun> read(String resource) {
        try (InputStream in = BenchmarkRuns.class.getResourceAsStream(resource)) {
            if (in == null) {
                return List.of();
            }
            Path tmp = Files.createTempFile("benchmark-runs", ".csv");
            try {
                Files.write(tmp, in.readAllBytes());
                return RunCsv.read(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the committed benchmark runs " + resource, e);
        }
    }

    /**
     * @param runs runs
     * @return their seeds, e.g. "101, 102"
     */
    static String seeds(List<PracticeRun> runs) {
        return runs.stream().map(PracticeRun::seed).distinct().sorted().map(String::valueOf)
                .collect(Collectors.joining(", "));
    }
}
