package io.github.adaloss.experiments.report;

import io.github.adaloss.experiments.cli.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;

/** What the report says about the run itself: version, commit, date, machine, backend. */
public final class RunDetails {

    private RunDetails() {
    }

    /**
     * @param threads  the --threads option
     * @param seed     the --seed option
     * @param seconds  total wall-clock seconds
     * @return ordered name/value pairs
     */
    public static Map<String, String> collect(int threads, long seed, double seconds) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("version", Version.get());
        m.put("git commit", gitCommit());
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("seed", Long.toString(seed));
        m.put("threads", Integer.toString(threads));
        m.put("wall-clock time", io.github.adaloss.experiments.run.Progress.clock(seconds));
        m.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors");
        m.put("ND4J backend", backend());
        return m;
    }

    private static String backend() {
        try {
            String blas = Nd4j.factory().blas().getBlasVendor().toString();
            return Nd4j.getBackend().getClass().getSimpleName() + " (BLAS " + blas + ")";
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    /** @return the commit of the working directory's git checkout (with "+changes" if dirty), or "unknown" */
    static String gitCommit() {
        String head = git("rev-parse", "--short=12", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String status = git("status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + " +changes";
    }

    private static String git(String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "git";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
