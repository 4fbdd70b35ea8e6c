package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.RunRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * Writes the report folder: {@code index.html} (header with the claims count and a badge per claim, table of
 * contents, run details, options, one part per section, its runs in a sortable table), the charts as
 * {@code images/*.png} (twice the nominal size), the data as {@code csv/*.csv}, and {@code summary.json} (options,
 * run details, claims with structured evidence, every run in one schema, each section's own entry).
 */
public final class ReportWriter {

    private static final String STYLE = "<style>body{font-family:system-ui,sans-serif;max-width:1120px;margin:1.5em "
            + "auto;padding:0 1em;color:#222;line-height:1.45}h1{margin-bottom:.2em}.count{font-size:1.25em;"
            + "margin:.3em 0 1em}table{border-collapse:collapse;font-size:12.5px;margin:.5em 0}td,th{border:1px solid "
            + "#d4d4d4;padding:2px 7px;text-align:left;vertical-align:top}th{background:#f2f2f2}table.sortable th{"
            + "cursor:pointer}img{max-width:100%;height:auto}figure{margin:1em 0}figcaption{font-size:13px;color:#555}"
            + ".badge{display:inline-block;min-width:4.2em;text-align:center;border-radius:3px;padding:0 .4em;"
            + "font-size:12px;font-weight:bold;color:#fff}.PASS{background:#1b7f3a}.FAIL{background:#c0182b}"
            + ".CAVEAT{background:#b26b00}ul.claims{list-style:none;padding-left:0}ul.claims li{margin:.35em 0}"
            + ".kind{font-size:12px;color:#555;font-variant:small-caps}"
            + ".evidence{color:#555;font-size:13px}.files{font-size:12px;color:#666}nav ol{columns:2}"
            + "dl.details{display:grid;grid-template-columns:max-content auto;gap:0 1em;font-size:13px}"
            + "dt{font-weight:bold}dd{margin:0}section{border-top:1px solid #ddd;margin-top:2em}</style>";

    private final Path out;

    /** @param out the report folder (created if needed) */
    public ReportWriter(Path out) {
        this.out = out;
    }

    /**
     * @param options  the run's options
     * @param sections every section of the suite, run or not, in order
     * @param details  run details (see {@link RunDetails#collect})
     * @return the path of index.html
     * @throws IOException if a file cannot be written
     */
    public Path write(Options options, List<SectionOutcome> sections, Map<String, String> details)
            throws IOException {
        Files.createDirectories(out);
        Map<String, SectionPart> parts = new LinkedHashMap<>();
        for (SectionOutcome s : sections) {
            if (s.result() != null) {
                SectionPart part = new SectionPart(out, s.id());
                s.result().writeReport(part);
                parts.put(s.id(), part);
            }
        }
        writeJson(options, sections, details, parts);
        Path index = out.resolve("index.html");
        Files.writeString(index, html(options, sections, details, parts), StandardCharsets.UTF_8);
        return index;
    }

    /**
     * @return the headline: the papers' claims and the project's own goals counted apart, each as "N of M hold" with
     *         its failures, then the caveats (never counted as a pass), e.g. "papers' claims: 5 of 8 hold (3 fail);
     *         project goals: 2 of 3 hold (1 fails); 1 caveat"
     */
    public static String count(List<Claim> claims) {
        long caveat = claims.stream().filter(c -> c.status() == Claim.Status.CAVEAT).count();
        return "papers' claims: " + count(claims, Claim.Kind.PAPER) + "; project goals: "
                + count(claims, Claim.Kind.GOAL) + (caveat > 0 ? "; " + caveat + " caveat" + (caveat == 1 ? "" : "s")
                : "");
    }

    private static String count(List<Claim> claims, Claim.Kind kind) {
        long pass = claims.stream().filter(c -> c.kind() == kind && c.status() == Claim.Status.PASS).count();
        long fail = claims.stream().filter(c -> c.kind() == kind && c.status() == Claim.Status.FAIL).count();
        if (pass + fail == 0) {
            return "none";
        }
        return pass + " of " + (pass + fail) + " hold" + (fail > 0 ? " (" + fail + " fail" + (fail == 1 ? "s" : "")
                + ")" : "");
    }

    /** @return every claim of the sections that ran, in order */
    public static List<Claim> claims(List<SectionOutcome> sections) {
        List<Claim> all = new ArrayList<>();
        sections.stream().filter(s -> s.result() != null).forEach(s -> all.addAll(s.result().claims()));
        return all;
    }

    private static String claimId(String section, int k) {
        return "claim-" + section + "-" + (k + 1);
    }

    private String html(Options o, List<SectionOutcome> sections, Map<String, String> details,
                        Map<String, SectionPart> parts) {
        List<Claim> all = claims(sections);
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>dl4j-adaloss main job: ")
                .append(Html.escape(count(all))).append("</title>\n").append(STYLE).append("</head><body>\n");
        h.append("<header><h1>dl4j-adaloss main job</h1>\n<p class=\"count\" id=\"claims-count\">")
                .append(Html.escape(count(all))).append("</p>\n<ul class=\"claims\">\n");
        for (SectionOutcome s : sections) {
            if (s.result() == null) {
                continue;
            }
            List<Claim> cs = s.result().claims();
            for (int k = 0; k < cs.size(); k++) {
                Claim c = cs.get(k);
                h.append("<li>").append(badge(c)).append(" <span class=\"kind\">")
                        .append(c.kind() == Claim.Kind.PAPER ? "paper" : "goal").append("</span> <a href=\"#")
                        .append(claimId(s.id(), k)).append("\">")
                        .append(Html.escape(c.text())).append("</a> <span class=\"evidence\">(<a href=\"#")
                        .append(s.id()).append("\">").append(Html.escape(s.title())).append("</a>)</span></li>\n");
            }
        }
        h.append("</ul></header>\n<nav><h2>Contents</h2><ol>\n");
        int number = 0;
        for (SectionOutcome s : sections) {
            number++;
            h.append("<li><a href=\"#").append(s.id()).append("\">").append(Html.escape(s.title())).append("</a>")
                    .append(s.result() == null ? " (not run)" : "").append("</li>\n");
        }
        h.append("<li><a href=\"#run-details\">Run details and options</a></li>\n</ol></nav>\n");
        number = 0;
        for (SectionOutcome s : sections) {
            number++;
            h.append("<section id=\"").append(s.id()).append("\"><h2>").append(number).append(". ")
                    .append(Html.escape(s.title())).append("</h2>\n");
            if (s.result() == null) {
                h.append("<p>Not run: ").append(Html.escape(s.note())).append(".</p></section>\n");
                continue;
            }
            List<Claim> cs = s.result().claims();
            if (!cs.isEmpty()) {
                h.append("<h3>Claims</h3><ul class=\"claims\">\n");
                for (int k = 0; k < cs.size(); k++) {
                    Claim c = cs.get(k);
                    h.append("<li id=\"").append(claimId(s.id(), k)).append("\">").append(badge(c)).append(' ')
                            .append(Html.escape(c.text())).append("<br><span class=\"evidence\">")
                            .append(Html.escape(Evidence.text(c.evidence()))).append("</span></li>\n");
                }
                h.append("</ul>\n");
            }
            h.append(parts.get(s.id()).fragment());
            List<RunRecord> runs = s.result().runs();
            if (!runs.isEmpty()) {
                h.append("<details><summary>All ").append(runs.size()).append(" runs of this section (click a ")
                        .append("header to sort)</summary>\n").append(runTable(runs)).append("</details>\n");
            }
            h.append(String.format(Locale.ROOT, "<p class=\"files\">Section time: %s</p>%n",
                    io.github.adaloss.experiments.run.Progress.clock(s.seconds())));
            h.append("</section>\n");
        }
        h.append("<section id=\"run-details\"><h2>Run details and options</h2>\n<dl class=\"details\">\n");
        details.forEach((k, v) -> h.append("<dt>").append(Html.escape(k)).append("</dt><dd>").append(Html.escape(v))
                .append("</dd>\n"));
        h.append("</dl>\n<h3>Options</h3>\n<dl class=\"details\">\n");
        o.asMap().forEach((k, v) -> h.append("<dt>--").append(Html.escape(k)).append("</dt><dd>")
                .append(Html.escape(v instanceof List<?> l && l.isEmpty() ? (k.equals("only") ? "(all sections)"
                        : "(none)") : Evidence.value(v))).append("</dd>\n"));
        h.append("</dl>\n<h3>Seconds per section</h3>\n<dl class=\"details\">\n");
        for (SectionOutcome s : sections) {
            h.append("<dt>").append(s.id()).append("</dt><dd>").append(s.result() == null ? "not run"
                    : String.format(Locale.ROOT, "%.1f", s.seconds())).append("</dd>\n");
        }
        h.append("</dl>\n<p>Curves: <code>csv/</code>. All numbers at full precision: <a href=\"summary.json\">")
                .append("summary.json</a>.</p></section>\n").append(Tables.SORT_SCRIPT).append("</body></html>\n");
        return h.toString();
    }

    private static String badge(Claim c) {
        return "<span class=\"badge " + c.status() + "\">" + c.status() + "</span>";
    }

    /** @return the runs as a sortable table: the common fields, then every metric any run has */
    static String runTable(List<RunRecord> runs) {
        Set<String> metrics = new LinkedHashSet<>();
        runs.forEach(r -> metrics.addAll(r.metrics().keySet()));
        metrics.removeIf(m -> runs.stream().allMatch(r -> Double.isNaN(r.metrics().getOrDefault(m, Double.NaN))));
        List<String> headers = new ArrayList<>(List.of("optimizer", "parameter", "value", "seed", "status"));
        headers.addAll(metrics);
        List<List<String>> rows = new ArrayList<>();
        for (RunRecord r : runs) {
            List<String> row = new ArrayList<>(List.of(r.optimizer(), r.parameter(), Formats.number(r.value()),
                    Long.toString(r.seed()), r.status()));
            for (String m : metrics) {
                row.add(Formats.number(r.metrics().getOrDefault(m, Double.NaN)));
            }
            rows.add(row);
        }
        return Tables.html(headers, rows, true);
    }

    private void writeJson(Options o, List<SectionOutcome> sections, Map<String, String> details,
                           Map<String, SectionPart> parts) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("summary", count(claims(sections)));
        root.put("details", details);
        root.put("options", o.asMap());
        List<Map<String, Object>> claims = new ArrayList<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        Map<String, Object> perSection = new LinkedHashMap<>();
        Map<String, Object> seconds = new LinkedHashMap<>();
        for (SectionOutcome s : sections) {
            if (s.result() == null) {
                perSection.put(s.id(), Map.of("notRun", s.note()));
                continue;
            }
            seconds.put(s.id(), s.seconds());
            for (Claim c : s.result().claims()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("section", s.id());
                m.put("kind", c.kind().name());
                m.put("status", c.status().name());
                m.put("text", c.text());
                m.put("evidence", c.evidence());
                claims.add(m);
            }
            for (RunRecord r : s.result().runs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("section", r.section());
                m.put("optimizer", r.optimizer());
                m.put("parameter", r.parameter());
                m.put("value", r.value());
                m.put("seed", r.seed());
                m.put("status", r.status());
                Map<String, Object> metrics = new LinkedHashMap<>();
                r.metrics().forEach((k, v) -> metrics.put(k, Double.isNaN(v) ? null : v));
                m.put("metrics", metrics);
                runs.add(m);
            }
            Object entry = parts.get(s.id()).jsonEntry();
            perSection.put(s.id(), entry == null ? Map.of() : entry);
        }
        root.put("secondsPerSection", seconds);
        root.put("claims", claims);
        root.put("runs", runs);
        root.put("sections", perSection);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("summary.json").toFile(),
                root);
    }
}
