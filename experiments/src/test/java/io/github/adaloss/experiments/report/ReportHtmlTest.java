package io.github.adaloss.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.Suite;
import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.section.Claim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parses the index.html of a small run (synthetic sections, saddle and its control at a reduced size are not
 * reachable from the command line, so the run uses the robustness and momentum sections): the header's count matches
 * the claims, every badge links to an existing claim inside an existing section, every table-of-contents entry
 * exists, every image referenced exists.
 */
class ReportHtmlTest {

    @TempDir
    static Path dir;
    private static Document doc;
    private static List<Claim> claims;

    @BeforeAll
    static void write() throws Exception {
        Options o = Options.parse("--widths", "20,40", "--n", "12", "--d", "3", "--iterations", "30", "--only",
                "robustness,momentum", "--out", dir.toString());
        List<SectionOutcome> outcomes = Suite.run(o, Suite.select(o), Progress.silent(), null);
        claims = ReportWriter.claims(outcomes);
        Path index = new ReportWriter(dir).write(o, outcomes, RunDetails.collect(1, 42, 1.0));
        doc = Jsoup.parse(index.toFile(), "UTF-8");
    }

    @Test
    void headerCountMatchesTheClaims() {
        long pass = claims.stream().filter(c -> c.kind() == Claim.Kind.PAPER && c.status() == Claim.Status.PASS)
                .count();
        long counted = claims.stream().filter(c -> c.kind() == Claim.Kind.PAPER && c.status() != Claim.Status.CAVEAT)
                .count();
        String count = doc.getElementById("claims-count").text();
        assertTrue(counted > 0 && count.startsWith("papers' claims: " + pass + " of " + counted + " hold"), count);
        assertTrue(count.contains("; project goals: "), count);
        for (int i = 0; i < claims.size(); i++) {
            assertEquals(claims.get(i).kind() == Claim.Kind.PAPER ? "paper" : "goal",
                    doc.select("header ul.claims li").get(i).selectFirst(".kind").text());
        }
        assertFalse(doc.select("h1").text().toLowerCase().contains("reproduced"));
        assertEquals(claims.size(), doc.select("header ul.claims li").size());
        assertEquals(claims.size(), doc.select("header .badge").size());
        for (int i = 0; i < claims.size(); i++) {
            assertEquals(claims.get(i).status().name(), doc.select("header .badge").get(i).text());
        }
    }

    @Test
    void everyBadgeLinksToAClaimInsideAnExistingSection() {
        for (Element li : doc.select("header ul.claims li")) {
            List<String> targets = li.select("a").eachAttr("href");
            assertEquals(2, targets.size(), li.outerHtml());
            Element claim = doc.getElementById(targets.get(0).substring(1));
            assertNotNull(claim, targets.get(0));
            Element section = doc.getElementById(targets.get(1).substring(1));
            assertNotNull(section, targets.get(1));
            assertEquals("section", section.tagName());
            assertTrue(claim.parents().contains(section), targets.get(0) + " inside " + targets.get(1));
            assertEquals(li.selectFirst(".badge").text(), claim.selectFirst(".badge").text());
        }
    }

    @Test
    void everyTableOfContentsEntryExists() {
        List<String> toc = doc.select("nav a").eachAttr("href");
        assertEquals(Suite.SECTIONS.size() + 1, toc.size());
        for (String href : toc) {
            assertTrue(href.startsWith("#"), href);
            assertNotNull(doc.getElementById(href.substring(1)), href);
        }
    }

    @Test
    void everyReferencedFileExists() {
        List<String> images = doc.select("img").eachAttr("src");
        assertTrue(images.size() >= 10, "images: " + images.size());
        for (String src : images) {
            assertTrue(Files.isRegularFile(dir.resolve(src)), src);
        }
        for (String href : doc.select("a[href]").eachAttr("href")) {
            if (!href.startsWith("#")) {
                assertTrue(Files.isRegularFile(dir.resolve(href)), href);
            }
        }
    }

    @Test
    void runDetailsAndOptionsAreShown() {
        Element details = doc.getElementById("run-details");
        for (String k : List.of("version", "git commit", "date", "seed", "threads", "JVM", "ND4J backend")) {
            assertTrue(details.select("dt").eachText().contains(k), k);
        }
        assertTrue(details.select("dt").eachText().contains("--widths"));
        assertTrue(details.text().contains("20, 40"), details.text());
    }
}
