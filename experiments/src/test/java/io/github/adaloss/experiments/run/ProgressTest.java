package io.github.adaloss.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void plainOutputIsOneLinePerStepWeightedByCost() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 100);
        p.section("cheap", 10, 10);
        for (int i = 0; i < 10; i++) {
            p.step("run " + i);
        }
        p.section("dear", 2, 90);
        p.step("big 1");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "no carriage returns in a log");
        List<String> lines = text.lines().toList();
        assertEquals(11, lines.size());
        // ten cheap steps are 10% of the work, one of the two dear ones another 45%
        assertTrue(lines.get(9).startsWith(" 10%"), lines.get(9));
        assertTrue(lines.get(9).contains("cheap 10/10  run 9"), lines.get(9));
        assertTrue(lines.get(10).startsWith(" 55%"), lines.get(10));
        assertTrue(lines.get(10).contains("ETA "), lines.get(10));
    }

    @Test
    void terminalOutputRedrawsOneLineAndCutsLongLabels() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 2);
        p.section("s", 2, 2);
        p.step("x".repeat(200));
        p.step("done");
        p.finishLine();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, text.chars().filter(c -> c == '\r').count());
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "one line, ended once");
        assertTrue(text.endsWith("\n"));
        for (String part : text.split("\r")) {
            assertTrue(part.length() <= 120, "line of " + part.length());
        }
    }

    @Test
    void clockFormats() {
        assertEquals("0:05", Progress.clock(5.2));
        assertEquals("2:03", Progress.clock(123));
        assertEquals("1:00:01", Progress.clock(3601));
    }
}
