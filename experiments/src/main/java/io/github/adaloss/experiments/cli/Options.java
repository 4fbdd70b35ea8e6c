package io.github.adaloss.experiments.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of the main job, parsed by {@link CommandLine#parse}.
 *
 * @param out        report folder
 * @param seed       seed of data, initialization and everything random
 * @param widths     widths m of the two-layer networks
 * @param n          number of synthetic examples
 * @param d          input dimension
 * @param iterations full-batch iterations per synthetic run
 * @param data       folder holding the Fashion-MNIST IDX files (optional part)
 * @param threads    ND4J/OpenMP threads
 * @param only       ids of the sections to run (empty: all)
 * @param skip       ids of the sections not to run
 * @param full       whether the paper-scale preset was asked for
 * @param verbose    whether errors print their stack trace
 */
public record Options(Path out, long seed, int[] widths, int n, int d, int iterations, Path data, int threads,
                      List<String> only, List<String> skip, boolean full, boolean verbose) {

    /** Where Debian's package dataset-fashion-mnist installs the data. */
    public static final Path DEFAULT_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** Default widths. */
    static final int[] WIDTHS = {100, 1000, 4000};
    /** Widths of the {@code --full} preset. */
    static final int[] FULL_WIDTHS = {100, 1000, 10000, 50000};
    /** Default iterations. */
    static final int ITERATIONS = 500;
    /** Iterations of the {@code --full} preset. */
    static final int FULL_ITERATIONS = 2000;

    /** Copies. */
    public Options {
        widths = widths.clone();
        only = List.copyOf(only);
        skip = List.copyOf(skip);
    }

    /** @return the defaults (every section) */
    public static Options defaults() {
        return new Options(Path.of("report"), 42, WIDTHS, 100, 10, ITERATIONS, DEFAULT_FASHION_MNIST, 1, List.of(),
                List.of(), false, false);
    }

    /**
     * @param args command-line arguments
     * @return the options
     * @throws UsageException on an invalid argument (one-line message) and for {@code --help} / {@code --version}
     */
    public static Options parse(String... args) {
        return CommandLine.parse(args);
    }

    /**
     * @param sectionId a section id
     * @return whether {@code --only} / {@code --skip} select it
     */
    public boolean selects(String sectionId) {
        return (only.isEmpty() || only.contains(sectionId)) && !skip.contains(sectionId);
    }

    /** @return a copy at another seed */
    public Options withSeed(long newSeed) {
        return new Options(out, newSeed, widths, n, d, iterations, data, threads, only, skip, full, verbose);
    }

    /** @return a copy with other section selections */
    public Options withSections(List<String> newOnly, List<String> newSkip) {
        return new Options(out, seed, widths, n, d, iterations, data, threads, newOnly, newSkip, full, verbose);
    }

    /** @return the options by name, for the report and summary.json (ordered) */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("out", out.toString());
        m.put("seed", seed);
        m.put("widths", Arrays.stream(widths).boxed().toList());
        m.put("n", n);
        m.put("d", d);
        m.put("iterations", iterations);
        m.put("data", data.toString());
        m.put("threads", threads);
        m.put("only", only);
        m.put("skip", skip);
        m.put("full", full);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options x && toString().equals(x.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Options" + asMap() + (verbose ? " verbose" : "");
    }
}
