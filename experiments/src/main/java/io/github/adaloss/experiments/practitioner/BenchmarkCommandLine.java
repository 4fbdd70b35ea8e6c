package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import io.github.adaloss.experiments.cli.Picocli;
import io.github.adaloss.experiments.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The picocli definition of {@link RealisticBenchmark}'s command line, turned into {@link BenchmarkOptions}; the same
 * style as the main job's {@link io.github.adaloss.experiments.cli.CommandLine}: one-line errors naming the option and
 * the value, {@link UsageException} for errors and {@code --help}.
 */
@Command(name = "RealisticBenchmark", sortOptions = false, usageHelpAutoWidth = true,
        description = "The practitioner benchmark at realistic budgets: every configuration, the paper's b0 table and "
                + "its baselines, resumable (runs already in DIR/runs.csv are skipped).",
        footer = {"", "Modes: train (default; DIR/runs.csv, then the tables), --analyse --in FILE.csv[,FILE2.csv] "
                + "(tables only), --analyse --tuning --in TUNING.csv (regret tables), --first-step (DIR/first-step.csv), "
                + "--update-docs ROOT (the documentation's generated tables)."})
final class BenchmarkCommandLine {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "benchmark-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--seeds", paramLabel = "N,N,...", split = ",",
            description = "Seeds (default: 101,102,103,104,105).")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--workloads", paramLabel = "ID,...", split = ",",
            description = "Configurations (default: all of regression, sum, lstm, mlp, transfer, text, lenet, resnet, "
                    + "simplecnn, darknet19, xception).")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--tiers", paramLabel = "T,...", split = ",",
            description = "Priority tiers of the grid, in order (default: 0,1,2,3).")
    List<String> tiers = new ArrayList<>();

    @Option(names = "--families", paramLabel = "NAME,...", split = ",",
            description = "Optimizer families or settings to run (default: all), e.g. published,AdaLoss,AdamLoss or "
                    + "published,AdaLoss:default,AdaLoss:eta=0.1,AdamLoss:default.")
    List<String> families = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST IDX folder (default: the adaloss-datasets one, /usr/share/datasets/fashion-mnist).")
    String data;

    @Option(names = "--in", paramLabel = "FILE,...", split = ",",
            description = "Runs files to analyse (with --analyse).")
    List<String> in = new ArrayList<>();

    @Option(names = "--analyse", description = "Print the tables of the --in files, no training.")
    boolean analyse;

    @Option(names = "--tuning", description = "With --analyse: the default-choosing regret tables.")
    boolean tuning;

    @Option(names = "--first-step", description = "AdaLoss' first step at its defaults to DIR/first-step.csv.")
    boolean firstStep;

    @Option(names = "--update-docs", paramLabel = "ROOT",
            description = "Rewrite the generated tables of README.md, docs/benchmark.md and docs/zoo.md under the "
                    + "project root ROOT from its committed runs (docs/data/benchmark-runs.csv, "
                    + "docs/data/benchmark-tuning-runs.csv), no training.")
    String updateDocs;

    private BenchmarkCommandLine() {
    }

    /**
     * @param args command line
     * @return the options
     * @throws UsageException one line for a bad argument; the help text (info) for -h / --help
     */
    static BenchmarkOptions parse(String[] args) {
        BenchmarkCommandLine c = new BenchmarkCommandLine();
        Picocli.parse(new CommandLine(c), args, BenchmarkCommandLine::usage);
        return c.toOptions();
    }

    /** @return the usage text with the defaults */
    static String usage() {
        return Picocli.usage(new CommandLine(new BenchmarkCommandLine()));
    }

    private BenchmarkOptions toOptions() {
        if (tuning && !analyse) {
            throw new UsageException("--tuning needs --analyse");
        }
        if (updateDocs != null && (analyse || firstStep || !in.isEmpty())) {
            throw new UsageException("--update-docs excludes --analyse, --first-step and --in");
        }
        Path root = updateDocs == null ? null : Path.of(updateDocs);
        if (root != null && !Files.isRegularFile(root.resolve(BenchmarkDocs.RUNS))) {
            throw new UsageException("--update-docs: '" + updateDocs + "' has no " + BenchmarkDocs.RUNS);
        }
        if (analyse && firstStep) {
            throw new UsageException("--analyse and --first-step exclude each other");
        }
        if (analyse && in.isEmpty()) {
            throw new UsageException("--analyse needs --in FILE.csv");
        }
        if (!analyse && !in.isEmpty()) {
            throw new UsageException("--in is read only with --analyse");
        }
        List<Long> s = seeds.isEmpty() ? RealisticBenchmark.SEEDS : values("--seeds", seeds, v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new UsageException("--seeds: '" + v + "' is not an integer");
            }
        });
        List<String> ids = Workloads.ids(Workloads.Scale.REALISTIC);
        List<String> w = values("--workloads", workloads, v -> oneOf("--workloads", "a configuration id", v, ids));
        List<Integer> t = tiers.isEmpty() ? List.of(0, 1, 2, 3) : values("--tiers", tiers, v -> {
            String bad = "--tiers: '" + v + "' is not a tier (0 to " + (OptimizerGrid.TIERS - 1) + ")";
            try {
                int tier = Integer.parseInt(v);
                if (tier < 0 || tier >= OptimizerGrid.TIERS) {
                    throw new UsageException(bad);
                }
                return tier;
            } catch (NumberFormatException e) {
                throw new UsageException(bad);
            }
        });
        List<String> f = values("--families", families, v -> {
            String why = OptimizerGrid.checkSelector(v);
            if (why != null) {
                throw new UsageException("--families: " + why);
            }
            return v;
        });
        List<Path> files = values("--in", in, v -> {
            Path p = Path.of(v);
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new UsageException("--in: '" + v + "' is not a readable file");
            }
            return p;
        });
        Path dir = data == null ? FashionMnist.directory() : Path.of(data);
        if (data != null && (!Files.isDirectory(dir) || !Files.isReadable(dir))) {
            throw new UsageException("--data: '" + data + "' is not a readable directory");
        }
        return new BenchmarkOptions(Path.of(out), s, w, t, f, dir, files, analyse, tuning, firstStep, root);
    }

    /** Trims and converts each value; a value given twice is an error (it would run or count twice). */
    private static <T> List<T> values(String option, List<String> raw, Function<String, T> convert) {
        List<T> out = new ArrayList<>();
        for (String r : raw) {
            T v = convert.apply(r.trim());
            if (out.contains(v)) {
                throw new UsageException(option + ": '" + r.trim() + "' is given twice");
            }
            out.add(v);
        }
        return out;
    }

    private static String oneOf(String option, String what, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new UsageException(option + ": '" + value + "' is not " + what + " (one of "
                    + allowed.stream().collect(Collectors.joining(", ")) + ")");
        }
        return value;
    }
}
