package io.github.adaloss.experiments.realdata;

import io.github.adaloss.experiments.report.RunTables;
import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.ReportContext;
import io.github.adaloss.experiments.section.RunRecord;
import io.github.adaloss.experiments.section.SectionResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a real-data section: classification runs judged by their accuracy.
 *
 * @param id          section id (file names)
 * @param description the setup, HTML
 * @param chartTitle  title of the accuracy chart
 * @param chance      accuracy of guessing
 * @param results     every run (empty if the data are missing)
 * @param missing     why nothing ran, or null
 */
public record ClassificationResult(String id, String description, String chartTitle, double chance,
                                   List<RunResult> results, String missing) implements SectionResult {

    @Override
    public List<Claim> claims() {
        return List.of();
    }

    @Override
    public List<RunRecord> runs() {
        return RunTables.accuracyRecords(id, results);
    }

    @Override
    public String consoleSummary() {
        return missing != null ? missing : results.size() + " runs; " + bestText();
    }

    /** @return per optimizer, its best mean accuracy over seeds and the setting that reaches it */
    private String bestText() {
        List<String> parts = new ArrayList<>();
        Map<String, Map<Double, double[]>> sums = new LinkedHashMap<>();
        for (RunResult r : results) {
            double[] s = sums.computeIfAbsent(r.optimizer(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.value(), k -> new double[2]);
            s[0] += Double.isNaN(r.accuracy()) ? 0 : r.accuracy();
            s[1]++;
        }
        sums.forEach((opt, byValue) -> {
            double best = -1;
            double at = Double.NaN;
            for (Map.Entry<Double, double[]> e : byValue.entrySet()) {
                double mean = e.getValue()[0] / e.getValue()[1];
                if (mean > best) {
                    best = mean;
                    at = e.getKey();
                }
            }
            String p = results.stream().filter(x -> x.optimizer().equals(opt)).findFirst().map(RunResult::parameter)
                    .orElse("");
            parts.add(opt + " " + Formats.number(best) + " (" + p + "=" + Formats.number(at) + ")");
        });
        return "best mean accuracy over seeds: " + String.join(", ", parts);
    }

    @Override
    public void writeReport(ReportContext r) throws IOException {
        if (missing != null) {
            r.paragraph(missing);
            return;
        }
        r.html(description);
        String best = bestText();
        r.paragraph("Target: accuracy (chance " + Formats.number(chance) + ", dashed line). "
                + Character.toUpperCase(best.charAt(0)) + best.substring(1) + ".");
        r.csv(id + ".csv", RunTables.curvesCsv(results));
        r.chart(id, RunTables.accuracyChart(chartTitle, results, chance), chartTitle);
    }
}
