package io.github.adaloss.it.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of the fault-injection suite, per scenario: faults injected, faults survived (training went on with
 * every invariant holding), and data lost (iterations of training that had to be redone, corrupted checkpoints).
 * Appended to {@code target/fault-injection/summary.txt} and printed, so the README's numbers can be re-read.
 */
final class FaultTally {

    private static final Path SUMMARY = Path.of("target", "fault-injection", "summary.txt");
    private final String scenario;
    private final Map<String, Long> counts = new TreeMap<>();

    FaultTally(String scenario) {
        this.scenario = scenario;
    }

    void add(String what, long n) {
        counts.merge(what, n, Long::sum);
    }

    long get(String what) {
        return counts.getOrDefault(what, 0L);
    }

    /** Appends the line of this scenario to the summary file and prints it. */
    void report() {
        String line = scenario + ": " + counts;
        System.out.println("[fault-injection] " + line);
        try {
            Files.createDirectories(SUMMARY.getParent());
            Files.writeString(SUMMARY, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
