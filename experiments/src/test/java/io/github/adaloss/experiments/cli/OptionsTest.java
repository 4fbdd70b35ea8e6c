package io.github.adaloss.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Options o = Options.parse();
        assertEquals(Path.of("report"), o.out());
        assertEquals(42, o.seed());
        assertArrayEquals(new int[] {100, 1000, 4000}, o.widths());
        assertEquals(100, o.n());
        assertEquals(10, o.d());
        assertEquals(500, o.iterations());
        assertEquals(1, o.threads());
        assertEquals(List.of(), o.only());
        assertEquals(List.of(), o.skip());
        assertTrue(o.selects("iris"));
        assertFalse(o.full());
        assertFalse(o.verbose());
        assertEquals(Options.defaults(), o);
    }

    @Test
    void everyOptionIsParsedInBothForms(@TempDir Path dir) {
        Options o = Options.parse("--out", "x", "--seed", "7", "--widths", "10, 20", "--n", "30",
            "--d", "4", "--iterations", "9", "--data", dir.toString(), "--threads", "2", "--skip", "iris,saddle",
            "--verbose");
        assertEquals(Path.of("x"), o.out());
        assertEquals(7, o.seed());
        assertArrayEquals(new int[] {10, 20}, o.widths());
        assertEquals(30, o.n());
        assertEquals(4, o.d());
        assertEquals(9, o.iterations());
        assertEquals(dir, o.data());
        assertEquals(2, o.threads());
        assertFalse(o.selects("iris"));
        assertFalse(o.selects("saddle"));
        assertTrue(o.selects("overparam"));
        assertTrue(o.verbose());
        Options eq = Options.parse("--out=x", "--seed=7", "--widths=10,20", "--n=30", "--d=4", "--iterations=9",
            "--data=" + dir, "--threads=2", "--skip=iris", "--skip=saddle", "-v");
        assertEquals(o, eq);
        Options only = Options.parse("--only", "robustness,momentum");
        assertTrue(only.selects("momentum"));
        assertFalse(only.selects("iris"));
    }

    @Test
    void fullPresetCanBeOverriddenByExplicitOptions() {
        Options o = Options.parse("--full", "--iterations", "50");
        assertTrue(o.full());
        assertArrayEquals(new int[] {100, 1000, 10000, 50000}, o.widths());
        assertEquals(50, o.iterations());
        assertEquals(o, Options.parse("--iterations", "50", "--full"));
        assertEquals(2000, Options.parse("--full").iterations());
    }

    @Test
    void helpAndVersionAreInfoWithTheDefaults() {
        for (String h : new String[] {"--help", "-h"}) {
            UsageException e = assertThrows(UsageException.class, () -> Options.parse(h));
            assertTrue(e.isInfo());
            assertTrue(e.getMessage().startsWith("Usage: adaloss-experiments"), e.getMessage());
            assertTrue(e.getMessage().contains("--full"));
            assertTrue(e.getMessage().contains("(default: 42)"), e.getMessage());
            assertTrue(e.getMessage().contains("--only"));
        }
        UsageException v = assertThrows(UsageException.class, () -> Options.parse("-V"));
        assertTrue(v.isInfo());
        assertTrue(v.getMessage().matches("adaloss-experiments \\S+"), v.getMessage());
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        UsageException e = assertThrows(UsageException.class, () -> Options.parse("--only", "Iris"));
        assertFalse(e.isInfo());
        assertEquals("--only: 'Iris' is not a section id", e.getMessage());
        assertEquals(1, assertThrows(UsageException.class, () -> Options.parse("--seed")).getMessage().lines()
                .count());
    }
}
