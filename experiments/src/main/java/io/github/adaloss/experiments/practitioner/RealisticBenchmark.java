package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import io.github.adaloss.experiments.cli.UsageException;
import io.github.adaloss.updater.AdaLoss;
import org.deeplearning4j.nn.api.Model;

/**
 * The practitioner benchmark at realistic budgets (issue 19): every configuration of {@link Workloads} at
 * {@link Workloads.Scale#REALISTIC}, the paper's b0 table and its baselines ({@link OptimizerGrid#benchmark}), five
 * reported seeds by default. Same initialization and mini-batch order for every optimizer of a (configuration, seed).
 * <pre>
 *   OMP_NUM_THREADS=1 java -cp experiments/target/adaloss-experiments.jar \
 *       io.github.adaloss.experiments.practitioner.RealisticBenchmark --out DIR \
 *       [--seeds 101,102,103,104,105] [--workloads mlp,regression,...] [--tiers 0,1,2,3]
 *       [--families published,AdaLoss,...] [--data FASHION_DIR]
 *   ... RealisticBenchmark --help                                 (the options with their defaults)
 *   ... RealisticBenchmark --analyse --in FILE.csv[,FILE2.csv]   (tables only, no training)
 *   ... RealisticBenchmark --analyse --tuning --in TUNING.csv     (the default-choosing regret tables)
 *   ... RealisticBenchmark --first-step --out DIR [--seeds ...] [--workloads ...]
 *                                       (AdaLoss' first step at its defaults, {@link FirstStep}, to DIR/first-step.csv)
 *   ... RealisticBenchmark --update-docs .                      (the documentation's generated tables, {@link BenchmarkDocs})
 * </pre>
 * Resumable: every finished run is appended to {@code DIR/runs.csv} at once, and a run already there (same
 * configuration, optimizer setting and seed) is not run again, so the command can be stopped and started again at any
 * point. It prints each run with progress and an ETA from the seconds of the runs done so far, and at the end the
 * tables of {@link BenchmarkAnalysis}. The command line is {@link BenchmarkCommandLine} (picocli): an unknown
 * configuration id, tier, family or seed, a missing {@code --in} file or a meaningless combination of modes is one line
 * on stderr naming the option and the value, exit code 2.
 */
public final class RealisticBenchmark {

    /** The reported seeds (the defaults were chosen on seeds 1 and 2). */
    public static final List<Long> SEEDS = List.of(101L, 102L, 103L, 104L, 105L);
    /** Order of the configurations: the cheap ones first, so that an interrupted run holds whole tables. */
    public static final List<String> ORDER = List.of("regression", "sum", "lstm", "mlp", "transfer", "text", "lenet",
            "resnet", "simplecnn", "darknet19", "xception");

    private RealisticBenchmark() {
    }

    /**
     * @param args see the class comment and {@code --help}; a bad argument prints one line naming the option and the
     *             value on stderr and exits with 2
     * @throws IOException if the output cannot be written or the data read
     */
    public static void main(String[] args) throws IOException {
        BenchmarkOptions o;
        try {
            o = BenchmarkOptions.parse(args);
        } catch (UsageException e) {
            if (e.isInfo()) {
                System.out.println(e.getMessage().stripTrailing());
                return;
            }
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(o, System.out);
    }

    /**
     * @param o   the options
     * @param con where tables and progress go
     * @throws IOException if the output cannot be written or the data read
     */
    static void run(BenchmarkOptions o, PrintStream con) throws IOException {
        if (o.docsRoot() != null) {
            List<String> changed = BenchmarkDocs.update(o.docsRoot());
            con.println(changed.isEmpty() ? "generated tables up to date" : "rewrote " + String.join(", ", changed));
            return;
        }
        if (o.analyse()) {
            List<PracticeRun> all = new ArrayList<>();
            for (Path p : o.in()) {
                all.addAll(RunCsv.read(p));
            }
            con.println(o.tuning() ? BenchmarkAnalysis.tuning(all) : BenchmarkAnalysis.text(all));
            return;
        }
        Files.createDirectories(o.out());
        if (o.firstStep()) {
            firstSteps(o.out().resolve("first-step.csv"), o.seeds(), o.workloads(), o.data(), con);
            return;
        }
        Path csv = o.out().resolve("runs.csv");
        if (!Files.exists(csv)) {
            Files.writeString(csv, RunCsv.HEADER + "\n", StandardCharsets.UTF_8);
        }
        run(csv, o.seeds(), o.workloads(), o.tiers(), o.families(), o.data(), con);
        con.println(BenchmarkAnalysis.text(RunCsv.read(csv)));
    }

    /**
     * Writes {@link FirstStep} at AdaLoss' defaults for every (configuration, seed) to {@code csv} (overwritten).
     *
     * @param csv   output file
     * @param seeds seeds
     * @param only  configuration ids (empty: all)
     * @param data  Fashion-MNIST directory
     * @param con   progress
     * @throws IOException if the data cannot be read or the file written
     */
    static void firstSteps(Path csv, List<Long> seeds, List<String> only, Path data, PrintStream con)
            throws IOException {
        StringBuilder sb = new StringBuilder(FirstStep.HEADER).append('\n');
        List<String> ids = only.isEmpty() ? Workloads.ids(Workloads.Scale.REALISTIC) : only;
        for (String id : ids) {
            for (Workload w : Workloads.create(Workloads.Scale.REALISTIC, data, List.of(id))) {
                for (long seed : seeds) {
                    Model m = w.build(new AdaLoss(), seed);
                    FirstStep f = FirstStep.measure(w.id(), m, w.data(seed).batches().get(0), seed,
                            AdaLoss.DEFAULT_LEARNING_RATE, AdaLoss.DEFAULT_B0, AdaLoss.DEFAULT_ALPHA);
                    con.println(f.csv());
                    sb.append(f.csv()).append('\n');
                }
            }
        }
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Runs every (tier, configuration, seed, setting) not yet in {@code csv}, appending each run as it finishes.
     *
     * @param csv   the runs file (header written)
     * @param seeds seeds
     * @param only  configuration ids (empty: all)
     * @param tiers tiers of {@link OptimizerGrid#benchmark}, in order
     * @param families families or settings to run (empty: all; {@link OptimizerGrid#selects}), e.g.
     *              {@code published,AdaLoss,AdamLoss} where a configuration's runs are too dear for the whole grid
     * @param data  Fashion-MNIST folder
     * @param con   where progress goes
     * @throws IOException if the file cannot be written or the data read
     */
    static void run(Path csv, List<Long> seeds, List<String> only, List<Integer> tiers, List<String> families,
                    Path data, PrintStream con) throws IOException {
        List<PracticeRun> previous = RunCsv.read(csv);
        Set<String> done = new HashSet<>();
        Map<String, double[]> secs = new HashMap<>();
        for (PracticeRun r : previous) {
            done.add(key(r.workload(), r.family(), r.parameter(), r.value(), r.seed()));
            double[] s = secs.computeIfAbsent(r.workload(), k -> new double[2]);
            s[0] += r.seconds();
            s[1]++;
        }
        Map<String, Workload> workloads = new LinkedHashMap<>();
        for (String id : ORDER) {
            if (only.isEmpty() || only.contains(id)) {
                Workloads.create(Workloads.Scale.REALISTIC, data, List.of(id)).forEach(w -> workloads.put(id, w));
            }
        }
        Map<String, Boolean> rowWise = new HashMap<>();
        for (Workload w : workloads.values()) {
            Model probe = w.build(w.publishedUpdater(), seeds.get(0));
            rowWise.put(w.id(), RowAdaGradNorm.applicable(probe));
            con.println(w.id() + ": " + w.source());
        }
        // the plan: what is left, in order
        record Job(int tier, Workload w, long seed, OptimizerSpec spec) {
        }
        List<Job> jobs = new ArrayList<>();
        for (int tier : tiers) {
            for (Workload w : workloads.values()) {
                for (long seed : seeds) {
                    for (OptimizerSpec s : OptimizerGrid.benchmark(w.publishedUpdater(), tier, rowWise.get(w.id()))) {
                        if (!done.contains(key(w.id(), s.family(), s.parameter(), s.value(), seed))
                                && (families.isEmpty() || families.stream().anyMatch(f -> OptimizerGrid.selects(f, s)))) {
                            jobs.add(new Job(tier, w, seed, s));
                        }
                    }
                }
            }
        }
        con.printf(Locale.ROOT, "%d runs already in %s, %d to run%n", previous.size(), csv, jobs.size());
        long start = System.nanoTime();
        String loadedKey = null;
        Workload.Data loaded = null;
        for (int k = 0; k < jobs.size(); k++) {
            Job j = jobs.get(k);
            String dk = j.w().id() + "/" + j.seed();
            if (!dk.equals(loadedKey)) {
                loaded = j.w().data(j.seed());
                loadedKey = dk;
            }
            PracticeRun r = Runner.run(j.w(), loaded, j.spec(), j.seed());
            Files.writeString(csv, RunCsv.line(r) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            double[] s = secs.computeIfAbsent(r.workload(), x -> new double[2]);
            s[0] += r.seconds();
            s[1]++;
            double eta = 0;
            for (int m = k + 1; m < jobs.size(); m++) {
                double[] e = secs.get(jobs.get(m).w().id());
                eta += e == null ? s[0] / s[1] : e[0] / e[1];
            }
            con.printf(Locale.ROOT, "[%d/%d] tier %d %-10s %-26s seed %d  metric %.4f  loss %.4g -> %.4g  %s  "
                            + "b=%.3g  rec %d  %.1fs | elapsed %s, ETA %s%n", k + 1, jobs.size(), j.tier(), r.workload(),
                    j.spec().label(), r.seed(), r.metric(), r.initialLoss(), r.finalLoss(), r.status(), r.finalB(),
                    r.recoveries(), r.seconds(), hms((System.nanoTime() - start) / 1e9), hms(eta));
        }
    }

    static String key(String workload, String family, String parameter, double value, long seed) {
        return workload + "|" + family + "|" + parameter + "|" + (Double.isNaN(value) ? "NaN" : Double.toString(value))
                + "|" + seed;
    }

    static String hms(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
