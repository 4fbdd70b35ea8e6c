package io.github.adaloss.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Command-line options of the main job. {@link #parse} throws {@link UsageException} with a one-line message for
 * anything invalid.
 *
 * @param out        report folder
 * @param seed       seed of data, initialization and everything random
 * @param widths     widths m of the two-layer networks
 * @param n          number of synthetic examples
 * @param d          input dimension
 * @param iterations full-batch iterations per synthetic run
 * @param data       folder holding the Fashion-MNIST IDX files (optional part)
 * @param threads    ND4J/OpenMP threads
 * @param skipped    sections not to run: any of {@link #SECTIONS}
 * @param full       whether the paper-scale preset was asked for
 */
public record Options(Path out, long seed, int[] widths, int n, int d, int iterations, Path data, int threads,
                      Set<String> skipped, boolean full) {

    /** Where Debian's package dataset-fashion-mnist installs the data. */
    public static final Path DEFAULT_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** Sections that can be skipped with {@code --no-SECTION}. */
    public static final List<String> SECTIONS = List.of("real-data", "overparam", "saddle");

    /** Validates and copies. */
    public Options {
        skipped = Set.copyOf(skipped);
        widths = widths.clone();
    }

    /** @return the defaults: about 3 minutes on 2 cores for the AdaLoss part, 5 with the other two results */
    public static Options defaults() {
        return new Options(Path.of("report"), 42, new int[] {100, 1000, 4000}, 100, 10, 500, DEFAULT_FASHION_MNIST,
                1, Set.of(), false);
    }

    /** @return whether the Iris / Fashion-MNIST robustness section runs */
    public boolean realData() {
        return !skipped.contains("real-data");
    }

    /** @return whether the over-parameterization sweep runs */
    public boolean overparam() {
        return !skipped.contains("overparam");
    }

    /** @return whether the saddle-escape experiment runs */
    public boolean saddle() {
        return !skipped.contains("saddle");
    }

    /** The text of {@code --help}. */
    public static final String USAGE = String.join("\n",
            "usage: java -jar experiments/target/adaloss-experiments.jar [options]",
            "  --out DIR          report folder (default report)",
            "  --seed N           seed (default 42); same seed, same numbers",
            "  --widths A,B,...   two-layer widths m (default 100,1000,4000)",
            "  --n N              synthetic examples (default 100)",
            "  --d N              input dimension (default 10)",
            "  --iterations N     full-batch iterations per synthetic run (default 500)",
            "  --data DIR         Fashion-MNIST IDX folder (default " + DEFAULT_FASHION_MNIST + ")",
            "  --threads N        ND4J/OpenMP threads (default 1: fastest on 2-core machines, see README)",
            "  --no-real-data     skip the Iris / Fashion-MNIST robustness section",
            "  --no-overparam     skip the over-parameterization sweep (Kawaguchi and Huang)",
            "  --no-saddle        skip the saddle-escape experiment (Staib et al.)",
            "  --full             paper-scale preset: widths 100,1000,10000,50000, 2000 iterations, larger real-data,"
                    + " over-parameterization and saddle runs (about an hour)",
            "  --help             this text");

    /**
     * @param args command-line arguments
     * @return the options
     * @throws UsageException on any invalid argument (one-line message)
     */
    public static Options parse(String[] args) {
        Options o = defaults();
        if (Arrays.asList(args).contains("--full")) {
            o = new Options(o.out, o.seed, new int[] {100, 1000, 10000, 50000}, o.n, o.d, 2000, o.data, o.threads,
                    o.skipped, true);
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--full" -> { }
                case "--no-real-data", "--no-overparam", "--no-saddle" -> {
                    Set<String> skip = new TreeSet<>(o.skipped);
                    skip.add(a.substring("--no-".length()));
                    o = new Options(o.out, o.seed, o.widths, o.n, o.d, o.iterations, o.data, o.threads, skip, o.full);
                }
                case "--help" -> throw new UsageException(USAGE);
                case "--out", "--seed", "--widths", "--n", "--d", "--iterations", "--data", "--threads" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option " + a + " needs a value");
                    }
                    o = with(o, a, args[++i]);
                }
                default -> throw new UsageException("unknown option '" + a + "' (see --help)");
            }
        }
        return o;
    }

    private static Options with(Options o, String option, String value) {
        return switch (option) {
            case "--out" -> new Options(Path.of(value), o.seed, o.widths, o.n, o.d, o.iterations, o.data, o.threads,
                    o.skipped, o.full);
            case "--seed" -> new Options(o.out, parseLong(option, value), o.widths, o.n, o.d, o.iterations, o.data,
                    o.threads, o.skipped, o.full);
            case "--widths" -> new Options(o.out, o.seed, parseWidths(value), o.n, o.d, o.iterations, o.data,
                    o.threads, o.skipped, o.full);
            case "--n" -> new Options(o.out, o.seed, o.widths, positive(option, value, 2), o.d, o.iterations, o.data,
                    o.threads, o.skipped, o.full);
            case "--d" -> new Options(o.out, o.seed, o.widths, o.n, positive(option, value, 2), o.iterations, o.data,
                    o.threads, o.skipped, o.full);
            case "--iterations" -> new Options(o.out, o.seed, o.widths, o.n, o.d, positive(option, value, 1), o.data,
                    o.threads, o.skipped, o.full);
            case "--data" -> new Options(o.out, o.seed, o.widths, o.n, o.d, o.iterations, readableDir(value),
                    o.threads, o.skipped, o.full);
            case "--threads" -> new Options(o.out, o.seed, o.widths, o.n, o.d, o.iterations, o.data,
                    positive(option, value, 1), o.skipped, o.full);
            default -> throw new UsageException("unknown option '" + option + "'");
        };
    }

    private static long parseLong(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs an integer, got '" + value + "'");
        }
    }

    private static int positive(String option, String value, int min) {
        long v = parseLong(option, value);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new UsageException(option + " must be an integer >= " + min + ", got " + value);
        }
        return (int) v;
    }

    private static int[] parseWidths(String value) {
        String[] parts = value.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            w[i] = positive("--widths", parts[i].trim(), 1);
        }
        return w;
    }

    private static Path readableDir(String value) {
        Path p = Path.of(value);
        if (!Files.isDirectory(p) || !Files.isReadable(p)) {
            throw new UsageException("--data: '" + value + "' is not a readable directory");
        }
        return p;
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
        return "Options(out=" + out + ", seed=" + seed + ", widths=" + Arrays.toString(widths) + ", n=" + n + ", d="
                + d + ", iterations=" + iterations + ", data=" + data + ", threads=" + threads + ", skipped="
                + new TreeSet<>(skipped) + ", full=" + full + ")";
    }
}
