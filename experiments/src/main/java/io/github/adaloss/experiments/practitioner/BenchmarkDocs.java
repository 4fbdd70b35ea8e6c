package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark's numbers in the project's documentation, generated from the committed runs so that no table is
 * pasted by hand: every block between {@code <!-- NAME -->} and {@code <!-- /NAME -->} in the files below is the
 * output of {@link BenchmarkAnalysis} on {@code docs/data/benchmark-runs.csv} (and the tuning runs), and
 * {@code RealisticBenchmark --update-docs ROOT} rewrites them after new runs (and copies the runs files to the main
 * job's resources). {@code BenchmarkDocsTest} fails when a
 * committed block differs from what the committed CSV gives.
 *
 * <table>
 *   <caption>Generated blocks</caption>
 *   <tr><th>file</th><th>block</th><th>content</th></tr>
 *   <tr><td>README.md</td><td>benchmark-summary</td><td>{@link BenchmarkAnalysis#summaryRows} as a table</td></tr>
 *   <tr><td>docs/benchmark.md</td><td>benchmark-results</td><td>{@link BenchmarkAnalysis#markdown}: summary, b0
 *       tables, contrasts, goals</td></tr>
 *   <tr><td>docs/benchmark.md</td><td>benchmark-tuning</td><td>{@link BenchmarkAnalysis#tuning} of the tuning
 *       seeds</td></tr>
 *   <tr><td>docs/benchmark.md</td><td>benchmark-machine-time</td><td>{@link #machineTime}</td></tr>
 *   <tr><td>docs/zoo.md</td><td>benchmark-zoo</td><td>{@link #zooTable}</td></tr>
 * </table>
 * The prose around the blocks is written by people and cites their numbers; a block changes, the prose must be
 * re-read.
 */
public final class BenchmarkDocs {

    /** Runs of the reported seeds, relative to the project root. */
    public static final String RUNS = "docs/data/benchmark-runs.csv";
    /** Runs of the tuning seeds, relative to the project root. */
    public static final String TUNING_RUNS = "docs/data/benchmark-tuning-runs.csv";
    /** Where the main job reads both runs files (the same bytes), relative to the project root. */
    public static final String RESOURCES = "experiments/src/main/resources/io/github/adaloss/experiments/practitioner/";

    private BenchmarkDocs() {
    }

    /**
     * One generated block.
     *
     * @param file    path relative to the project root
     * @param name    marker name: the block lies between {@code <!-- name -->} and {@code <!-- /name -->}
     * @param content what the block holds (ends with a newline)
     */
    public record Block(String file, String name, String content) {
    }

    /**
     * @param runs   runs of the reported seeds
     * @param tuning runs of the tuning seeds
     * @return every generated block, in file order
     */
    public static List<Block> blocks(List<PracticeRun> runs, List<PracticeRun> tuning) {
        return List.of(
                new Block("README.md", "benchmark-summary",
                        BenchmarkAnalysis.markdownTable(BenchmarkAnalysis.SUMMARY_HEADER,
                                BenchmarkAnalysis.summaryRows(runs))),
                new Block("docs/benchmark.md", "benchmark-results", BenchmarkAnalysis.markdown(runs)),
                new Block("docs/benchmark.md", "benchmark-tuning", BenchmarkAnalysis.tuning(tuning).stripTrailing()
                        + "\n"),
                new Block("docs/benchmark.md", "benchmark-machine-time", machineTime(runs, tuning) + "\n"),
                new Block("docs/zoo.md", "benchmark-zoo", zooTable(runs)));
    }

    /**
     * @param root the project root
     * @return {@link #blocks} of the committed runs under {@code root}
     * @throws IOException if a runs file cannot be read
     */
    public static List<Block> blocks(Path root) throws IOException {
        return blocks(RunCsv.read(root.resolve(RUNS)), RunCsv.read(root.resolve(TUNING_RUNS)));
    }

    /**
     * Rewrites every block of {@link #blocks(Path)} in its file, and copies both runs files to the main job's
     * resources ({@link #RESOURCES}).
     *
     * @param root the project root
     * @return the files whose text changed
     * @throws IOException if a file cannot be read or written
     * @throws IllegalStateException if a file lacks a block's markers (nothing is written then)
     */
    public static List<String> update(Path root) throws IOException {
        Map<String, String> text = new LinkedHashMap<>();
        for (Block b : blocks(root)) {
            String old = text.containsKey(b.file()) ? text.get(b.file())
                    : Files.readString(root.resolve(b.file()), StandardCharsets.UTF_8);
            text.put(b.file(), replace(old, b.name(), b.content(), b.file()));
        }
        List<String> changed = new ArrayList<>();
        for (String csv : List.of(RUNS, TUNING_RUNS)) {
            byte[] bytes = Files.readAllBytes(root.resolve(csv));
            Path copy = root.resolve(RESOURCES + Path.of(csv).getFileName());
            if (!Files.exists(copy) || !Arrays.equals(bytes, Files.readAllBytes(copy))) {
                Files.write(copy, bytes);
                changed.add(root.relativize(copy).toString());
            }
        }
        for (Map.Entry<String, String> e : text.entrySet()) {
            Path p = root.resolve(e.getKey());
            if (!Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
                Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
                changed.add(e.getKey());
            }
        }
        return changed;
    }

    /**
     * @param text    a file's text
     * @param name    block name
     * @param content the block's new content
     * @param file    the file's name, for the message
     * @return the text with the block replaced
     * @throws IllegalStateException if the markers are missing, repeated or out of order
     */
    static String replace(String text, String name, String content, String file) {
        String open = "<!-- " + name + " -->\n";
        String close = "<!-- /" + name + " -->";
        int a = text.indexOf(open);
        int z = text.indexOf(close);
        if (a < 0 || z < a || text.indexOf(open, a + 1) >= 0 || text.indexOf(close, z + 1) >= 0) {
            throw new IllegalStateException(file + ": block '" + name + "' needs exactly one '" + open.strip()
                    + "' followed by one '" + close + "'");
        }
        return text.substring(0, a + open.length()) + content + text.substring(z);
    }

    /**
     * @param text a file's text
     * @param name block name
     * @return the block's current content, or null when the file has no such block
     */
    static String current(String text, String name) {
        String open = "<!-- " + name + " -->\n";
        int a = text.indexOf(open);
        int z = text.indexOf("<!-- /" + name + " -->");
        return a < 0 || z < a ? null : text.substring(a + open.length(), z);
    }

    /**
     * @param runs   runs of the reported seeds
     * @param tuning runs of the tuning seeds
     * @return per configuration the median seconds of a run, its run count and machine time; the totals; the tuning
     *         seeds' machine time per configuration
     */
    static String machineTime(List<PracticeRun> runs, List<PracticeRun> tuning) {
        Map<String, List<Double>> secs = bySeconds(runs);
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : secs.entrySet()) {
            double[] s = e.getValue().stream().mapToDouble(x -> x).sorted().toArray();
            parts.add(String.format(Locale.ROOT, "%s %.1f s (%d run%s, %.2f h)", e.getKey(), median(s), s.length,
                    s.length == 1 ? "" : "s", Arrays.stream(s).sum() / 3600));
        }
        Map<String, List<Double>> tsecs = bySeconds(tuning);
        List<String> tparts = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : tsecs.entrySet()) {
            tparts.add(String.format(Locale.ROOT, "%s %.2f h", e.getKey(),
                    e.getValue().stream().mapToDouble(x -> x).sum() / 3600));
        }
        return String.format(Locale.ROOT, "Seconds per run (median) and machine time of the committed runs: %s: "
                        + "%,d runs, %.1f h; tuning seeds %,d run%s, %.2f h (%s).", String.join(", ", parts),
                runs.size(), hours(runs), tuning.size(), tuning.size() == 1 ? "" : "s", hours(tuning),
                String.join(", ", tparts));
    }

    private static Map<String, List<Double>> bySeconds(List<PracticeRun> runs) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (String w : RealisticBenchmark.ORDER) {
            List<Double> s = runs.stream().filter(r -> r.workload().equals(w)).map(PracticeRun::seconds).toList();
            if (!s.isEmpty()) {
                out.put(w, s);
            }
        }
        return out;
    }

    private static double hours(List<PracticeRun> runs) {
        return runs.stream().mapToDouble(PracticeRun::seconds).sum() / 3600;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Header of {@link #zooTable}. */
    public static final List<String> ZOO_HEADER = List.of("model", "published", "AdaLoss default",
            "AdaLoss - published", "AdamLoss default", "AdamLoss - published", "AdaLoss 0.1x eta");

    /**
     * @param runs runs of the reported seeds
     * @return the deep zoo models' table: the published updater, AdaLoss and AdamLoss at their defaults (mean ± std
     *         over seeds) with their paired differences against the published updater and the drop-in verdict, and
     *         AdaLoss at 0.1x eta; one row per zoo configuration that ran
     */
    static String zooTable(List<PracticeRun> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (String w : RealisticBenchmark.ORDER) {
            if (!ZooWorkload.MODELS.containsKey(w)) {
                continue;
            }
            TreeMap<Long, Double> pub = BenchmarkAnalysis.bySeed(runs, w, "published", "published", Double.NaN);
            if (pub.isEmpty()) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(ZooWorkload.MODELS.get(w),
                    BenchmarkAnalysis.cell(pub, false)));
            for (String f : List.of("AdaLoss", "AdamLoss")) {
                TreeMap<Long, Double> m = BenchmarkAnalysis.bySeed(runs, w, f, "default", Double.NaN);
                row.add(m.isEmpty() ? "-" : BenchmarkAnalysis.cell(m, false));
                BenchmarkAnalysis.Paired p = BenchmarkAnalysis.paired(m, pub, false, BenchmarkAnalysis.DROP_IN_POINTS);
                row.add(p.n() < 2 ? "-" : String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f] %s", p.mean(), p.lo(),
                        p.hi(), p.verdict()));
            }
            TreeMap<Long, Double> small = BenchmarkAnalysis.bySeed(runs, w, "AdaLoss", "eta", 0.1);
            row.add(small.isEmpty() ? "-" : BenchmarkAnalysis.cell(small, false));
            rows.add(row);
        }
        return BenchmarkAnalysis.markdownTable(ZOO_HEADER, rows);
    }
}
