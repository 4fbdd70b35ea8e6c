package io.github.adaloss.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.Suite;
import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** A tiny suite end to end: determinism given the seed, and every file of the report. */
class ReportWriterTest {

    private static final String[] TINY = {"--widths", "20,40", "--n", "12", "--d", "3", "--iterations", "30",
        "--no-real-data", "--no-overparam", "--no-saddle"};

    private static Suite.Results first;

    @BeforeAll
    static void run() throws Exception {
        first = Suite.run(Options.parse(TINY), null);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() throws Exception {
        Suite.Results again = Suite.run(Options.parse(TINY), null);
        List<RunResult> a = first.allRuns();
        List<RunResult> b = again.allRuns();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), a.get(i).label());
        }
        String[] otherSeed = java.util.Arrays.copyOf(TINY, TINY.length + 2);
        otherSeed[TINY.length] = "--seed";
        otherSeed[TINY.length + 1] = "43";
        Suite.Results other = Suite.run(Options.parse(otherSeed), null);
        assertNotEquals(a.get(0).loss()[0], other.allRuns().get(0).loss()[0]);
    }

    @Test
    void reportHasHtmlWithEmbeddedChartsCsvAndJson(@TempDir Path dir) throws Exception {
        Path index = new ReportWriter(dir).write(first);
        String html = Files.readString(index);
        int images = html.split("src=\"data:image/png;base64,", -1).length - 1;
        assertTrue(images >= 10, "embedded charts: " + images);
        assertTrue(html.contains("Claims checked on these numbers"));
        for (String png : List.of("robustness-adaloss", "robustness-gd", "b-curves", "ntk-lambda-min", "ntk-step",
                "momentum")) {
            Path p = dir.resolve("images").resolve(png + ".png");
            byte[] bytes = Files.readAllBytes(p);
            assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
        List<String> csv = Files.readAllLines(dir.resolve("csv").resolve("robustness.csv"));
        assertEquals("experiment,optimizer,parameter,value,width,seed,iteration,loss,b", csv.get(0));
        int rows = first.robustness().stream().mapToInt(r -> r.loss().length).sum();
        assertEquals(rows + 1, csv.size());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(4, json.get("claims").size());
        assertEquals(first.allRuns().size(), json.get("runs").size());
        JsonNode run0 = json.get("runs").get(0);
        assertEquals(first.robustness().get(0).finalLoss(), run0.get("finalLoss").asDouble(), 0);
    }
}
