package io.github.adaloss.experiments.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Console progress with elapsed time and ETA. Steps are weighted by cost: each section announces its planned steps and
 * their estimated seconds ({@link #section}), and each {@link #step} counts {@code seconds / steps} of the total. On a
 * terminal the line is redrawn in place with {@code \r}; otherwise (a log file, a pipe) every step prints one plain
 * line, so that logs stay readable.
 */
public final class Progress {

    /** Width of the label in the redrawn line. */
    private static final int LABEL = 48;

    private final PrintStream out;
    private final boolean redraw;
    private final double total;
    private final long start = System.nanoTime();
    private double done;
    private double stepWeight;
    private String section = "";
    private int sectionSteps;
    private int sectionDone;
    private boolean dirty;

    /**
     * @param out          where to draw (null: nowhere)
     * @param redraw       redraw one line with {@code \r} (only on a terminal)
     * @param totalSeconds the estimated cost of every planned step of the run
     */
    public Progress(PrintStream out, boolean redraw, double totalSeconds) {
        this.out = out;
        this.redraw = redraw;
        this.total = Math.max(1e-9, totalSeconds);
    }

    /** @return a progress that prints nothing (tests, library use) */
    public static Progress silent() {
        return new Progress(null, false, 1);
    }

    /** @return true when stdout is a terminal (then the line is redrawn in place) */
    public static boolean onTerminal() {
        return System.console() != null;
    }

    /**
     * Starts a section.
     *
     * @param id      its id, printed before each step's label
     * @param steps   the steps it will report
     * @param seconds their estimated cost
     */
    public synchronized void section(String id, int steps, double seconds) {
        finishLine();
        this.section = id;
        this.sectionSteps = steps;
        this.sectionDone = 0;
        this.stepWeight = steps == 0 ? 0 : seconds / steps;
    }

    /** @param label what was just finished */
    public synchronized void step(String label) {
        sectionDone++;
        done = Math.min(total, done + stepWeight);
        if (out == null) {
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double fraction = done / total;
        String eta = fraction <= 0.01 || fraction >= 1 ? "--" : clock(elapsed * (1 - fraction) / fraction);
        String counts = String.format(Locale.ROOT, "%3.0f%%  %s  ETA %s  %s %d/%d", 100 * fraction, clock(elapsed),
                eta, section, sectionDone, sectionSteps);
        if (redraw) {
            int width = 20;
            int filled = (int) Math.round(fraction * width);
            String bar = "#".repeat(Math.min(width, filled)) + ".".repeat(Math.max(0, width - filled));
            String l = label.length() > LABEL ? label.substring(0, LABEL - 3) + "..." : label;
            out.print(String.format(Locale.ROOT, "\r[%s] %s  %-" + LABEL + "s", bar, counts, l));
            dirty = true;
        } else {
            out.println(counts + "  " + label);
        }
        out.flush();
    }

    /** Ends the redrawn line (if any) so that the next output starts on a fresh line. */
    public synchronized void finishLine() {
        if (out != null && dirty) {
            out.println();
            dirty = false;
        }
    }

    /** @return seconds since this progress was created */
    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * @param seconds a duration
     * @return it as {@code m:ss} or {@code h:mm:ss}
     */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
