package io.github.adaloss.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The picocli definition of the main job's command line, turned into {@link Options}. */
@Command(name = "adaloss-experiments", sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs the experiments of the AdaLoss, over-parameterization and saddle-escape papers and "
                + "writes an HTML report (index.html, images/, csv/, summary.json).")
public final class CommandLine {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "report",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of everything random; same seed, same numbers (default: ${DEFAULT-VALUE}).")
    String seed;

    @Option(names = "--widths", paramLabel = "A,B,...",
            description = "Two-layer widths m (default: 100,1000,4000; with --full 100,1000,10000,50000).")
    String widths;

    @Option(names = "--n", paramLabel = "N", defaultValue = "100",
            description = "Synthetic examples (default: ${DEFAULT-VALUE}).")
    String n;

    @Option(names = "--d", paramLabel = "N", defaultValue = "10",
            description = "Input dimension (default: ${DEFAULT-VALUE}).")
    String d;

    @Option(names = "--iterations", paramLabel = "N",
            description = "Full-batch iterations per synthetic run (default: 500; with --full 2000).")
    String iterations;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "ND4J/OpenMP/OpenBLAS threads (default: ${DEFAULT-VALUE}, the fastest on 2 cores).")
    String threads;

    @Option(names = "--only", paramLabel = "SECTION", split = ",",
            description = "Run only these sections (and the ones they need), comma-separated.")
    List<String> only = new ArrayList<>();

    @Option(names = "--skip", paramLabel = "SECTION", split = ",",
            description = "Do not run these sections, comma-separated.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--full", description = "Paper-scale preset: wider networks, more iterations, larger real-data, "
            + "over-parameterization and saddle runs (about an hour). Explicit --widths / --iterations win.")
    boolean full;

    @Option(names = {"-v", "--verbose"}, description = "Print the stack trace of an error.")
    boolean verbose;

    private CommandLine() {
    }

    /**
     * @param args command line
     * @return the options
     * @throws UsageException one line for a bad argument; help or version text (info) for -h / -V
     */
    static Options parse(String[] args) {
        CommandLine c = new CommandLine();
        picocli.CommandLine cl = commandLine(c);
        Picocli.parse(cl, args, CommandLine::usage);
        if (cl.isVersionHelpRequested()) {
            throw UsageException.info("adaloss-experiments " + Version.get());
        }
        return c.toOptions();
    }

    /** @return the usage text with the defaults */
    public static String usage() {
        return Picocli.usage(commandLine(new CommandLine()));
    }

    /** The section ids listed in the usage footer; set by the suite (the cli package does not know the sections). */
    private static volatile String sectionIds = "see the report";

    /** @param ids the section ids, for the usage footer */
    public static void describeSections(List<String> ids) {
        sectionIds = String.join(", ", ids);
    }

    private static picocli.CommandLine commandLine(CommandLine c) {
        picocli.CommandLine cl = new picocli.CommandLine(c);
        cl.setUsageHelpLongOptionsMaxWidth(24);
        cl.getCommandSpec().usageMessage().footer("", "Sections (for --only / --skip): " + sectionIds,
                "Exit codes: 0 success, 1 failure, 2 bad command line.");
        return cl;
    }

    private Options toOptions() {
        int[] w = widths == null ? (full ? Options.FULL_WIDTHS : Options.WIDTHS) : parseWidths(widths);
        int it = iterations == null ? (full ? Options.FULL_ITERATIONS : Options.ITERATIONS)
                : positive("--iterations", iterations, 1);
        return new Options(Path.of(out), parseLong("--seed", seed), w, positive("--n", n, 2), positive("--d", d, 2),
                it, readableDir(data), positive("--threads", threads, 1), ids("--only", only), ids("--skip", skip), full,
                verbose);
    }

    private static List<String> ids(String option, List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            String id = v.trim();
            if (!id.matches("[a-z0-9-]+")) {
                throw new UsageException(option + ": '" + v + "' is not a section id");
            }
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    private static long parseLong(String option, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs an integer, got '" + value + "'");
        }
    }

    private static int positive(String option, String value, int min) {
        long v = parseLong(option, value);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new UsageException(option + " must be an integer >= " + min + ", got " + value.trim());
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
        if (Files.exists(p) && (!Files.isDirectory(p) || !Files.isReadable(p))) {
            throw new UsageException("--data: '" + value + "' is not a readable directory");
        }
        if (!Files.exists(p) && !value.equals("/usr/share/datasets/fashion-mnist")) {
            throw new UsageException("--data: '" + value + "' is not a readable directory");
        }
        return p;
    }
}
