package io.github.adaloss.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad command lines: one line on stderr, exit code 2, no stack trace. */
class MainTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus|unknown option '--bogus'",
        "--widths 100,-5|--widths must be an integer >= 1, got -5",
        "--widths 100,abc|--widths needs an integer, got 'abc'",
        "--n 0|--n must be an integer >= 2, got 0",
        "--iterations|option --iterations needs a value",
        "--seed 1.5|--seed needs an integer, got '1.5'",
        "--data /nonexistent/fashion|--data: '/nonexistent/fashion' is not a readable directory",
        "--threads -1|--threads must be an integer >= 1, got -1"})
    void badArgumentsGiveOneLineAndExitCode2(String commandLine, String expected) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(commandLine.split(" "));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("error: "), text);
        assertTrue(text.contains(expected), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
