package io.github.adaloss.bench.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's resident memory as Linux reports it in {@code /proc/self/status}: the peak resident set
 * ({@code VmHWM}, all pages, including file pages of memory-mapped files while they are resident) and the current
 * anonymous resident set ({@code RssAnon}: Java heap, ND4J's off-heap buffers, native stacks; not page cache). Linux
 * keeps no peak of {@code RssAnon}, so {@link Sampler} polls it. Values in kB, -1 where the file or the field is
 * missing (not Linux).
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** @return VmHWM in kB, or -1 */
    public static long peakRssKb() {
        return field("VmHWM:");
    }

    /** @return RssAnon in kB, or -1 */
    public static long rssAnonKb() {
        return field("RssAnon:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * A daemon thread that reads {@link #rssAnonKb()} every {@code periodMillis} and keeps the largest value (a lower
     * bound of the true peak: a spike shorter than the period can be missed).
     */
    public static final class Sampler implements AutoCloseable {
        private final AtomicLong max = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean running = true;

        /** @param periodMillis polling period, &gt;= 1 */
        public Sampler(long periodMillis) {
            if (periodMillis < 1) {
                throw new IllegalArgumentException("periodMillis must be >= 1, got " + periodMillis);
            }
            thread = new Thread(() -> {
                while (running) {
                    max.accumulateAndGet(rssAnonKb(), Math::max);
                    try {
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-anon-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        /** @return the largest RssAnon seen so far, kB (including now) */
        public long maxKb() {
            return max.accumulateAndGet(rssAnonKb(), Math::max);
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
