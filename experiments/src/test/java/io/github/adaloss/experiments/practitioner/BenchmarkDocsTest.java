package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation's benchmark tables are what the committed runs give ({@link BenchmarkDocs}): a run added to the CSV
 * without {@code RealisticBenchmark --update-docs .}, or a table edited by hand, fails here.
 */
class BenchmarkDocsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void committedTablesAreThoseOfTheCommittedRuns() throws IOException {
        List<BenchmarkDocs.Block> blocks = BenchmarkDocs.blocks(ROOT);
        assertEquals(5, blocks.size());
        for (BenchmarkDocs.Block b : blocks) {
            String text = Files.readString(ROOT.resolve(b.file()), StandardCharsets.UTF_8);
            String current = BenchmarkDocs.current(text, b.name());
            assertNotNull(current, b.file() + " has no block " + b.name());
            assertEquals(b.content(), current, b.file() + ", block " + b.name()
                    + ": stale; run RealisticBenchmark --update-docs . from the project root");
        }
    }

    @Test
    void theMainJobRendersTheCommittedRuns() throws IOException {
        for (String csv : List.of(BenchmarkDocs.RUNS, BenchmarkDocs.TUNING_RUNS)) {
            assertArrayEquals(Files.readAllBytes(ROOT.resolve(csv)), Files.readAllBytes(
                    ROOT.resolve(BenchmarkDocs.RESOURCES + Path.of(csv).getFileName())), csv);
        }
    }

    @Test
    void replacesBetweenMarkersAndRefusesBrokenOnes() {
        String doc = "intro\n<!-- t -->\nold\n<!-- /t -->\nend\n";
        assertEquals("intro\n<!-- t -->\nnew 1\nnew 2\n<!-- /t -->\nend\n",
                BenchmarkDocs.replace(doc, "t", "new 1\nnew 2\n", "x.md"));
        assertEquals("old\n", BenchmarkDocs.current(doc, "t"));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> BenchmarkDocs.replace("no markers\n", "t", "x\n", "x.md"));
        assertEquals("x.md: block 't' needs exactly one '<!-- t -->' followed by one '<!-- /t -->'",
                missing.getMessage());
        assertThrows(IllegalStateException.class, () -> BenchmarkDocs.replace(doc + doc, "t", "x\n", "x.md"));
        assertThrows(IllegalStateException.class,
                () -> BenchmarkDocs.replace("<!-- /t -->\n<!-- t -->\n", "t", "x\n", "x.md"));
    }

    @Test
    void updateRewritesOnlyTheBlocksAndCopiesTheRuns(@TempDir Path dir) throws IOException {
        List<PracticeRun> runs = new ArrayList<>();
        double[] pub = {0.50, 0.52, 0.54};
        double[] ada = {0.40, 0.41, 0.45};
        for (int s = 0; s < 3; s++) {
            runs.add(run("simplecnn", "published", "published", Double.NaN, 101 + s, pub[s], 1800 * (s + 1)));
            runs.add(run("simplecnn", "AdaLoss", "default", Double.NaN, 101 + s, ada[s], 60));
        }
        List<PracticeRun> tuning = List.of(run("mlp", "AdaLoss", "default", Double.NaN, 1, 0.8, 720));
        Files.createDirectories(dir.resolve("docs/data"));
        Files.createDirectories(dir.resolve(BenchmarkDocs.RESOURCES));
        Files.writeString(dir.resolve(BenchmarkDocs.RUNS), RunCsv.text(runs));
        Files.writeString(dir.resolve(BenchmarkDocs.TUNING_RUNS), RunCsv.text(tuning));
        Files.writeString(dir.resolve("README.md"), "# r\n<!-- benchmark-summary -->\nold\n<!-- /benchmark-summary -->\n");
        Files.writeString(dir.resolve("docs/benchmark.md"), "a\n<!-- benchmark-results -->\n<!-- /benchmark-results -->\n"
                + "b\n<!-- benchmark-tuning -->\n<!-- /benchmark-tuning -->\nc\n<!-- benchmark-machine-time -->\nx\n"
                + "<!-- /benchmark-machine-time -->\nd\n");
        Files.writeString(dir.resolve("docs/zoo.md"), "z\n<!-- benchmark-zoo -->\n<!-- /benchmark-zoo -->\nend\n");
        List<String> changed = BenchmarkDocs.update(dir);
        assertEquals(5, changed.size(), changed.toString());
        assertTrue(Files.readString(dir.resolve("docs/zoo.md")).startsWith("z\n<!-- benchmark-zoo -->\n| model |"));
        assertTrue(Files.readString(dir.resolve("docs/zoo.md")).endsWith("<!-- /benchmark-zoo -->\nend\n"));
        assertEquals(Files.readString(dir.resolve(BenchmarkDocs.RUNS)),
                Files.readString(dir.resolve(BenchmarkDocs.RESOURCES + "benchmark-runs.csv")));
        assertEquals(List.of(), BenchmarkDocs.update(dir), "a second update changes nothing");
        String bench = Files.readString(dir.resolve("docs/benchmark.md"));
        // 60, 60, 60, 1800, 3600, 5400 s: median (60 + 1800) / 2 = 930 s; 10980 s = 3.05 h
        assertTrue(bench.contains("<!-- benchmark-machine-time -->\nSeconds per run (median) and machine time of the "
                + "committed runs: simplecnn 930.0 s (6 runs, 3.05 h): 6 runs, 3.1 h; tuning seeds 1 run, 0.20 h "
                + "(mlp 0.20 h).\n<!-- /benchmark-machine-time -->\nd\n"), bench);
    }

    @Test
    void zooTableFromHandComputedPairs() {
        List<PracticeRun> runs = new ArrayList<>();
        double[] pub = {0.50, 0.52, 0.54};
        double[] ada = {0.40, 0.41, 0.45};
        for (int s = 0; s < 3; s++) {
            runs.add(run("darknet19", "published", "published", Double.NaN, 101 + s, pub[s], 1));
            runs.add(run("darknet19", "AdaLoss", "default", Double.NaN, 101 + s, ada[s], 1));
        }
        // differences -10, -11, -9 points: mean -10, sd 1, half width 4.303 / sqrt(3) = 2.484 -> [-12.5, -7.5], below -2
        String t = BenchmarkDocs.zooTable(runs);
        assertEquals("| model | published | AdaLoss default | AdaLoss - published | AdamLoss default | "
                + "AdamLoss - published | AdaLoss 0.1x eta |\n|---|---|---|---|---|---|---|\n"
                + "| Darknet19 | 52.0 ± 2.0 (3) | 42.0 ± 2.6 (3) | -10.0 [-12.5, -7.5] FAILS | - | - | - |\n", t);
    }

    private static PracticeRun run(String w, String family, String parameter, double value, long seed, double metric,
                                   double seconds) {
        return new PracticeRun(w, family, parameter, value, 1, 1, seed, false, metric, 2.3, 1.0, "ok", "", 1, 0, 10,
                seconds);
    }
}
