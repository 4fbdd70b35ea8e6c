package io.github.adaloss.experiments.practitioner;

import java.nio.file.Path;
import java.util.List;

/**
 * The command-line options of {@link RealisticBenchmark}, parsed by {@link BenchmarkCommandLine} (picocli, as the
 * main job's {@link io.github.adaloss.experiments.cli.Options}).
 *
 * @param out       output folder ({@code runs.csv}, {@code first-step.csv})
 * @param seeds     reported seeds, in order
 * @param workloads configuration ids (empty: all)
 * @param tiers     tiers of {@link OptimizerGrid#benchmark}, in order
 * @param families  families to run (empty: all)
 * @param data      Fashion-MNIST folder
 * @param in        runs files to analyse ({@code --analyse})
 * @param analyse   tables of {@code in} only, no training
 * @param tuning    with {@code analyse}: the default-choosing regret tables
 * @param firstStep AdaLoss' first step at its defaults ({@link FirstStep}) instead of the runs
 * @param docsRoot  {@code --update-docs}: the project root whose generated blocks ({@link BenchmarkDocs}) are rewritten
 *                  from its committed runs; null otherwise
 */
public record BenchmarkOptions(Path out, List<Long> seeds, List<String> workloads, List<Integer> tiers,
                               List<String> families, Path data, List<Path> in, boolean analyse, boolean tuning,
                               boolean firstStep, Path docsRoot) {

    /** Copies. */
    public BenchmarkOptions {
        seeds = List.copyOf(seeds);
        workloads = List.copyOf(workloads);
        tiers = List.copyOf(tiers);
        families = List.copyOf(families);
        in = List.copyOf(in);
    }

    /**
     * @param args command-line arguments
     * @return the options
     * @throws io.github.adaloss.experiments.cli.UsageException on an invalid argument (one line naming the option and
     *         the value) and for {@code --help}
     */
    public static BenchmarkOptions parse(String... args) {
        return BenchmarkCommandLine.parse(args);
    }
}
