package io.github.adaloss.experiments;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.cli.UsageException;
import io.github.adaloss.experiments.report.ReportWriter;
import io.github.adaloss.experiments.report.SummaryTable;
import java.nio.file.Path;

/**
 * The main job: runs every experiment and writes the report. Exit codes: 0 success, 2 bad command line, 1 any
 * other failure (one line on stderr, never a stack trace).
 */
public final class Main {

    private Main() {
    }

    /** @param args see {@link Options#USAGE} */
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
        try {
            o = Options.parse(args);
        } catch (UsageException e) {
            boolean help = e.getMessage().startsWith("usage:");
            (help ? System.out : System.err).println(help ? e.getMessage() : "error: " + e.getMessage());
            return help ? 0 : 2;
        }
        try {
            Threads.set(o.threads());
            long start = System.nanoTime();
            System.out.println("dl4j-adaloss experiments: " + o);
            Suite.Results r = Suite.run(o, System.out);
            System.out.println();
            System.out.print(SummaryTable.text(r.allRuns()));
            System.out.println();
            for (Claims.Claim c : Claims.evaluate(r)) {
                System.out.println((c.holds() ? "[holds]     " : "[DOES NOT]  ") + c.name() + ": " + c.evidence());
            }
            if (r.fashionMissing() != null) {
                System.out.println("Fashion-MNIST: " + r.fashionMissing());
            }
            StringBuilder times = new StringBuilder("Seconds per section:");
            r.seconds().forEach((k, v) -> times.append(String.format(java.util.Locale.ROOT, " %s %.0f", k, v)));
            System.out.println(times);
            Path index = new ReportWriter(o.out()).write(r);
            System.out.printf("%nReport: %s (%.0f s)%n", index.toAbsolutePath(), (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (Exception | Error e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            System.err.println("error: " + msg.lines().findFirst().orElse(msg));
            return 1;
        }
    }
}
