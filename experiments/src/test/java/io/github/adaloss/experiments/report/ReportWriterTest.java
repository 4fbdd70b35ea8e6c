package io.github.adaloss.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.Suite;
import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.RunRecord;
import io.github.adaloss.experiments.synthetic.RobustnessSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** A tiny suite end to end: determinism given the seed, and every file of the report. */
class ReportWriterTest {

    private static final String[] TINY = {"--widths", "20,40", "--n", "12", "--d", "3", "--iterations", "30",
        "--only", "robustness,momentum"};

    private static List<SectionOutcome> first;

    private static List<SectionOutcome> run(String... args) throws Exception {
        Options o = Options.parse(args);
        return Suite.run(o, Suite.select(o), Progress.silent(), null);
    }

    private static List<RunResult> robustness(List<SectionOutcome> outcomes) {
        return ((RobustnessSection.Result) outcomes.get(0).result()).robustness();
    }

    @BeforeAll
    static void runTiny() throws Exception {
        first = run(TINY);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() throws Exception {
        List<RunResult> a = robustness(first);
        List<RunResult> b = robustness(run(TINY));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), a.get(i).label());
        }
        String[] otherSeed = java.util.Arrays.copyOf(TINY, TINY.length + 1);
        otherSeed[TINY.length] = "--seed=43";
        assertNotEquals(a.get(0).loss()[0], robustness(run(otherSeed)).get(0).loss()[0]);
    }

    @Test
    void reportHasHtmlChartsCsvAndJsonInOneSchema(@TempDir Path dir) throws Exception {
        Options o = Options.parse(TINY);
        Path index = new ReportWriter(dir).write(o, first, RunDetails.collect(1, 42, 1.0));
        String html = Files.readString(index);
        for (String png : List.of("robustness-adaloss", "robustness-gd", "b-curves", "ntk-lambda-min", "ntk-step",
                "momentum")) {
            Path p = dir.resolve("images").resolve(png + ".png");
            byte[] bytes = Files.readAllBytes(p);
            assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(p.toFile());
            assertEquals(2 * Charts.WIDTH, img.getWidth(), png + " is drawn at twice the nominal size");
            assertTrue(html.contains("src=\"images/" + png + ".png\""), png);
        }
        List<String> csv = Files.readAllLines(dir.resolve("csv").resolve("robustness.csv"));
        assertEquals("experiment,optimizer,parameter,value,width,seed,iteration,loss,b", csv.get(0));
        int rows = robustness(first).stream().mapToInt(r -> r.loss().length).sum();
        assertEquals(rows + 1, csv.size());

        JsonNode json = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        List<Claim> claims = ReportWriter.claims(first);
        assertEquals(6, claims.size()); // robustness: 3 + lazy NTK; momentum: 2
        assertEquals(claims.size(), json.get("claims").size());
        assertEquals(ReportWriter.count(claims), json.get("summary").asText());
        List<RunRecord> records = first.stream().filter(s -> s.result() != null)
                .flatMap(s -> s.result().runs().stream()).toList();
        // momentum: 3 runs for each of 3 seeds at one width (of widths 20 and 40, the middle one is the widest)
        assertEquals(robustness(first).size() + 3 * 3, records.size());
        assertEquals(records.size(), json.get("runs").size());
        Set<String> schema = null;
        for (JsonNode run : json.get("runs")) {
            Set<String> fields = new TreeSet<>();
            run.fieldNames().forEachRemaining(fields::add);
            if (schema == null) {
                schema = fields;
            }
            assertEquals(schema, fields, "every run record has the same fields");
        }
        assertEquals(new TreeSet<>(List.of("section", "optimizer", "parameter", "value", "seed", "status", "metrics")),
                schema);
        JsonNode run0 = json.get("runs").get(0);
        RunResult r0 = robustness(first).get(0);
        assertEquals(r0.finalLoss() / r0.loss()[0], run0.get("metrics").get("finalRelativeLoss").asDouble(), 0);
        assertEquals(42, json.get("options").get("seed").asInt());
        assertTrue(json.get("sections").get("iris").has("notRun"));
    }

    @Test
    void countSeparatesThePapersClaimsFromTheProjectsGoalsAndNeverCountsACaveatAsAPass() {
        Claim pass = Claim.check("a", true, Map.of());
        Claim fail = Claim.check("b", false, Map.of());
        Claim caveat = Claim.caveat("c", Map.of());
        Claim paper = Claim.paper("d", true, Map.of());
        Claim paperFail = Claim.paper("e", false, "why");
        assertEquals(Claim.Kind.GOAL, pass.kind());
        assertEquals(Claim.Kind.PAPER, paper.kind());
        assertEquals("papers' claims: none; project goals: 1 of 2 hold (1 fails); 1 caveat",
                ReportWriter.count(List.of(pass, fail, caveat)));
        assertEquals("papers' claims: 1 of 2 hold (1 fails); project goals: 2 of 2 hold",
                ReportWriter.count(List.of(pass, paper, paperFail, pass)));
        assertEquals("papers' claims: 2 of 2 hold; project goals: none; 2 caveats",
                ReportWriter.count(List.of(paper, paper, caveat, Claim.paperCaveat("f", Map.of()))));
    }
}
