package io.github.adaloss.experiments.run;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line console progress bar ({@code [#####.....]  50%  3/6  label}), redrawn in place. */
public final class Progress {

    private final PrintStream out;
    private final int total;
    private int done;

    /**
     * @param out   where to draw (null: draw nothing)
     * @param total number of steps
     */
    public Progress(PrintStream out, int total) {
        this.out = out;
        this.total = Math.max(1, total);
    }

    /** @param label what was just finished */
    public synchronized void step(String label) {
        done = Math.min(total, done + 1);
        if (out == null) {
            return;
        }
        int width = 30;
        int filled = done * width / total;
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String line = String.format(Locale.ROOT, "\r[%s] %3d%%  %d/%d  %-60.60s", bar, 100 * done / total, done, total,
                label);
        out.print(line);
        if (done == total) {
            out.println();
        }
        out.flush();
    }
}
