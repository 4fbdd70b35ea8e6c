package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Stand-alone entry point of the practitioner suite (the main job runs it as a section; this runs it, or the
 * default-choosing eta sweep, on its own and writes CSV, JSON and charts):
 * <pre>
 *   java -cp experiments/target/adaloss-experiments.jar io.github.adaloss.experiments.practitioner.PractitionerMain \
 *        --mode table|sweep [--full] [--full-grid] [--seeds 42,43] [--workloads mlp,lstm] [--out DIR] [--data DIR] [--per-decade 4]
 *   ... PractitionerMain --mode choose|report --in DIR1,FILE2.csv,... --out DIR   (a folder means its runs.csv)
 * </pre>
 * {@code --full} selects the full budgets and the full grid; {@code --full-grid} the full grid at the short budgets.
 * {@code choose} prints the default-choosing table of the sweeps' {@code runs.csv} files; {@code report} writes the
 * tables, charts and JSON of the table runs' files into {@code --out}.
 * Every finished run is appended to {@code DIR/runs.csv} at once, so an interrupted run keeps what it did.
 */
public final class PractitionerMain {

    private PractitionerMain() {
    }

    /**
     * @param args see the class comment
     * @throws IOException if the output cannot be written
     */
    public static void main(String[] args) throws IOException {
        String mode = "table";
        boolean full = false;
        boolean fullGrid = false;
        List<Long> seeds = List.of(42L);
        List<String> only = List.of();
        Path out = Path.of("practitioner-out");
        Path data = io.github.adaloss.datasets.FashionMnist.directory();
        int perDecade = 4;
        List<Path> in = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = args[++i];
                case "--full" -> full = true;
                case "--full-grid" -> fullGrid = true;
                case "--seeds" -> seeds = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                case "--workloads" -> only = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--per-decade" -> perDecade = Integer.parseInt(args[++i]);
                case "--in" -> Arrays.stream(args[++i].split(",")).map(Path::of).forEach(in::add);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if ("choose".equals(mode) || "report".equals(mode)) {
            List<PracticeRun> all = new ArrayList<>();
            for (Path p : in) {
                all.addAll(RunCsv.read(Files.isDirectory(p) ? p.resolve("runs.csv") : p));
            }
            if ("choose".equals(mode)) {
                System.out.println(DefaultChooser.report(all));
            } else {
                PractitionerReport.writeFiles(all, out);
                Files.writeString(out.resolve("runs.csv"), RunCsv.text(all));
                System.out.println(PractitionerReport.text(all));
            }
            return;
        }
        Files.createDirectories(out);
        Path csv = out.resolve("runs.csv");
        if (!Files.exists(csv)) {
            Files.writeString(csv, RunCsv.HEADER + "\n", StandardCharsets.UTF_8);
        }
        PrintStream con = System.out;
        List<Workload> workloads = Workloads.create(full, data, only);
        List<PracticeRun> runs = new ArrayList<>();
        for (Workload w : workloads) {
            double secs = 0;
            for (long seed : seeds) {
                Workload.Data d = w.data(seed);
                List<OptimizerSpec> specs = "sweep".equals(mode) ? sweep(w, perDecade)
                        : OptimizerGrid.table(w.publishedUpdater(), !full && !fullGrid && w.heavy());
                for (OptimizerSpec s : specs) {
                    PracticeRun r = Runner.run(w, d, s, seed);
                    runs.add(r);
                    secs += r.seconds();
                    Files.writeString(csv, RunCsv.line(r) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                    con.printf(Locale.ROOT, "%-10s %-28s seed %d  metric %.4f  loss %.4g -> %.4g  %s  b=%.3g  %.1fs%n",
                            w.id(), s.label(), seed, r.metric(), r.initialLoss(), r.finalLoss(), r.status(),
                            r.finalB(), r.seconds());
                }
            }
            con.printf(Locale.ROOT, "== %s: %.1f s%n", w.id(), secs);
        }
        if ("sweep".equals(mode)) {
            con.println(DefaultChooser.report(RunCsv.read(csv)));
        } else {
            PractitionerReport.writeFiles(RunCsv.read(csv), out);
            con.println(PractitionerReport.text(RunCsv.read(csv)));
        }
    }

    /**
     * @param w         a configuration
     * @param perDecade points per decade (halved, at least 1, on heavy configurations, whose grid also stops a
     *                  decade lower)
     * @return each family over a wide eta grid at its default b0
     */
    static List<OptimizerSpec> sweep(Workload w, int perDecade) {
        int k = w.heavy() ? Math.max(1, perDecade / 2) : perDecade;
        List<OptimizerSpec> out = new ArrayList<>();
        double top = w.heavy() ? 1e1 : 1e2;
        out.addAll(OptimizerGrid.etaSweep("AdaLoss", 1e-2, top, k, 1.0));
        out.addAll(OptimizerGrid.etaSweep("AdaGradNorm", 1e-2, top, k, 1.0));
        out.addAll(OptimizerGrid.etaSweep("AdamLoss", 1e-4, top * 1e-2, k, 1.0));
        return out;
    }
}
