package io.github.adaloss.experiments;

import io.github.adaloss.experiments.cli.CommandLine;
import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.cli.UsageException;
import io.github.adaloss.experiments.cli.Version;
import io.github.adaloss.experiments.report.ReportWriter;
import io.github.adaloss.experiments.report.RunDetails;
import io.github.adaloss.experiments.report.SectionOutcome;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.Section;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The main job: runs the selected sections and writes the report. Exit codes: 0 success, 2 bad command line, 1 any
 * other failure (one line on stderr; the stack trace with {@code --verbose}).
 */
public final class Main {

    /** Console lines are cut to this length. */
    static final int LINE = 110;

    private Main() {
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /**
     * @param args command line
     * @return the exit code
     */
    public static int run(String[] args) {
        Options o;
        List<Section> selected;
        CommandLine.describeSections(Suite.ids());
        try {
            o = Options.parse(args);
            selected = Suite.select(o);
        } catch (UsageException e) {
            if (e.isInfo()) {
                System.out.println(e.getMessage().stripTrailing());
                return 0;
            }
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        PrintStream out = System.out;
        try {
            Threads.set(o.threads());
            out.println("dl4j-adaloss experiments " + Version.get() + ": " + selected.size() + " section"
                    + (selected.size() == 1 ? "" : "s") + " (" + String.join(", ", selected.stream().map(Section::id)
                    .toList()) + "), seed " + o.seed() + ", " + o.threads() + " thread" + (o.threads() == 1 ? "" : "s")
                    + ", report in " + o.out());
            Progress progress = new Progress(out, Progress.onTerminal(), Suite.plannedSeconds(selected, o));
            List<SectionOutcome> outcomes = Suite.run(o, selected, progress, s -> out.println(sectionLine(s)));
            Path index = new ReportWriter(o.out()).write(o, outcomes, RunDetails.collect(o.threads(), o.seed(),
                    progress.elapsedSeconds()));
            List<Claim> claims = ReportWriter.claims(outcomes);
            for (Claim c : claims) {
                out.println(cut(String.format(Locale.ROOT, "%-6s %-5s %s", c.status(),
                        c.kind() == Claim.Kind.PAPER ? "paper" : "goal", c.text())));
            }
            out.println(ReportWriter.count(claims) + "; report: " + index.toAbsolutePath() + " ("
                    + Progress.clock(progress.elapsedSeconds()) + ")");
            return 0;
        } catch (Exception | Error e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            out.flush();
            System.err.println("error: " + msg.lines().findFirst().orElse(msg)
                    + (o.verbose() ? "" : " (--verbose prints the stack trace)"));
            if (o.verbose()) {
                e.printStackTrace(System.err);
            }
            return 1;
        }
    }

    private static String sectionLine(SectionOutcome s) {
        long pass = s.result().claims().stream().filter(c -> c.status() == Claim.Status.PASS).count();
        long counted = s.result().claims().stream().filter(c -> c.status() != Claim.Status.CAVEAT).count();
        String summary = s.result().consoleSummary();
        return cut(String.format(Locale.ROOT, "%-15s %6s  %s%s", s.id(), Progress.clock(s.seconds()),
                counted > 0 ? pass + "/" + counted + " claims hold" : "no claims",
                summary.isEmpty() ? "" : "; " + summary));
    }

    private static String cut(String s) {
        return s.length() <= LINE ? s : s.substring(0, LINE - 3) + "...";
    }
}
