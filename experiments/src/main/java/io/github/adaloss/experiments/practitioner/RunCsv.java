package io.github.adaloss.experiments.practitioner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The runs of the suite as CSV, full precision, one line per run; and back. */
public final class RunCsv {

    /** Header line. */
    public static final String HEADER = "workload,family,parameter,value,eta,b0,seed,regression,metric,initial_loss,"
            + "final_loss,loss_decreased,status,final_b,recoveries,updates,seconds,error";

    private RunCsv() {
    }

    /**
     * @param r a run
     * @return its CSV line (no newline)
     */
    public static String line(PracticeRun r) {
        return String.join(",", r.workload(), r.family(), r.parameter(), num(r.value()), num(r.eta()), num(r.b0()),
                String.valueOf(r.seed()), String.valueOf(r.regression()), num(r.metric()), num(r.initialLoss()),
                num(r.finalLoss()), String.valueOf(r.lossDecreased()), r.status(), num(r.finalB()),
                String.valueOf(r.recoveries()), String.valueOf(r.updates()), String.format(Locale.ROOT, "%.3f", r.seconds()),
                '"' + r.error().replace('"', '\'').replace('\n', ' ') + '"');
    }

    /**
     * @param runs runs
     * @return header and one line per run
     */
    public static String text(List<PracticeRun> runs) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (PracticeRun r : runs) {
            sb.append(line(r)).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param file a file written by {@link #text} (or appended to line by line)
     * @return its runs
     * @throws IOException if unreadable
     */
    public static List<PracticeRun> read(Path file) throws IOException {
        List<PracticeRun> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank() || l.startsWith("workload,")) {
                continue;
            }
            int q = l.indexOf('"');
            String err = q < 0 ? "" : l.substring(q + 1, l.length() - 1);
            String[] c = (q < 0 ? l : l.substring(0, q)).split(",", -1);
            // files written before the recovery column existed have one column less
            int k = c.length >= 18 ? 1 : 0;
            long recoveries = k == 1 ? Long.parseLong(c[14]) : 0;
            out.add(new PracticeRun(c[0], c[1], c[2], d(c[3]), d(c[4]), d(c[5]), Long.parseLong(c[6]),
                    Boolean.parseBoolean(c[7]), d(c[8]), d(c[9]), d(c[10]), c[12], err, d(c[13]), recoveries,
                    Integer.parseInt(c[14 + k]), d(c[15 + k])));
        }
        return out;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : Double.toString(v);
    }

    private static double d(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
