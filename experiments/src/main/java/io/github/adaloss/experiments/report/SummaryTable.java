package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The per-run summary: iterations to the relative loss target, final loss, final b, accuracy. */
public final class SummaryTable {

    /** Column headers. */
    public static final List<String> HEADERS = List.of("experiment", "optimizer", "hyperparameter", "width", "seed",
            "iterations to 1e-4", "final loss", "final b", "accuracy");

    private SummaryTable() {
    }

    /** @return one row of cells per run */
    public static List<List<String>> rows(List<RunResult> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            rows.add(List.of(r.experiment(), r.optimizer(), r.parameter() + "=" + Formats.number(r.value()),
                    r.width() > 0 ? Integer.toString(r.width()) : "-", Long.toString(r.seed()), r.status(),
                    Formats.number(r.finalLoss()), Formats.number(r.finalB()), Formats.number(r.accuracy())));
        }
        return rows;
    }

    /** @return the table as aligned plain text */
    public static String text(List<RunResult> runs) {
        List<List<String>> rows = rows(runs);
        int[] w = new int[HEADERS.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = HEADERS.get(c).length();
            for (List<String> row : rows) {
                w[c] = Math.max(w[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, HEADERS, w);
        for (List<String> row : rows) {
            line(sb, row, w);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int c = 0; c < cells.size(); c++) {
            sb.append(String.format(Locale.ROOT, "%-" + (w[c] + 2) + "s", cells.get(c)));
        }
        sb.append('\n');
    }
}
