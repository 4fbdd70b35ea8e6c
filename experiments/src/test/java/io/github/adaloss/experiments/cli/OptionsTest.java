package io.github.adaloss.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Options o = Options.parse(new String[0]);
        assertEquals(Path.of("report"), o.out());
        assertEquals(42, o.seed());
        assertArrayEquals(new int[] {100, 1000, 4000}, o.widths());
        assertEquals(100, o.n());
        assertEquals(10, o.d());
        assertEquals(500, o.iterations());
        assertEquals(1, o.threads());
        assertTrue(o.realData());
        assertFalse(o.full());
    }

    @Test
    void everyOptionIsParsed(@org.junit.jupiter.api.io.TempDir Path dir) {
        Options o = Options.parse(new String[] {"--out", "x", "--seed", "7", "--widths", "10, 20", "--n", "30",
            "--d", "4", "--iterations", "9", "--data", dir.toString(), "--threads", "2", "--no-real-data"});
        assertEquals(Path.of("x"), o.out());
        assertEquals(7, o.seed());
        assertArrayEquals(new int[] {10, 20}, o.widths());
        assertEquals(30, o.n());
        assertEquals(4, o.d());
        assertEquals(9, o.iterations());
        assertEquals(dir, o.data());
        assertEquals(2, o.threads());
        assertFalse(o.realData());
        assertTrue(o.overparam());
        assertTrue(o.saddle());
        Options skip = Options.parse(new String[] {"--no-saddle", "--no-overparam"});
        assertFalse(skip.saddle());
        assertFalse(skip.overparam());
        assertTrue(skip.realData());
    }

    @Test
    void fullPresetCanBeOverriddenByLaterOptions() {
        Options o = Options.parse(new String[] {"--full", "--iterations", "50"});
        assertTrue(o.full());
        assertArrayEquals(new int[] {100, 1000, 10000, 50000}, o.widths());
        assertEquals(50, o.iterations());
        assertEquals(o, Options.parse(new String[] {"--iterations", "50", "--full"}));
    }

    @Test
    void helpIsAUsageMessage() {
        UsageException e = assertThrows(UsageException.class, () -> Options.parse(new String[] {"--help"}));
        assertTrue(e.getMessage().startsWith("usage:"));
        assertTrue(e.getMessage().contains("--full"));
    }
}
