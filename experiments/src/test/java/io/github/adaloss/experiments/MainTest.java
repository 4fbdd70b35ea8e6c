package io.github.adaloss.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad command lines: one line on stderr, exit code 2, no stack trace; help and version on stdout, exit 0. */
class MainTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus|Unknown option: '--bogus'",
        "--widths 100,-5|--widths must be an integer >= 1, got -5",
        "--widths=100,abc|--widths needs an integer, got 'abc'",
        "--n 0|--n must be an integer >= 2, got 0",
        "--iterations|Missing required parameter for option '--iterations'",
        "--seed 1.5|--seed needs an integer, got '1.5'",
        "--data /nonexistent/fashion|--data: '/nonexistent/fashion' is not a readable directory",
        "--threads -1|--threads must be an integer >= 1, got -1",
        "--only iris,nope|--only: unknown section 'nope' (sections: robustness,width-transition,momentum,linear-regression,iris,",
        "--skip=saddles|--skip: unknown section 'saddles'"})
    void badArgumentsGiveOneLineAndExitCode2(String commandLine, String expected) {
        Outcome o = run(commandLine.split(" "));
        assertEquals(2, o.code());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("error: "), o.err());
        assertTrue(o.err().contains(expected), o.err());
        assertEquals("", o.out());
    }

    @Test
    void helpAndVersionGoToStdoutWithExitCode0() {
        Outcome help = run("-h");
        assertEquals(0, help.code());
        assertEquals("", help.err());
        assertTrue(help.out().replaceAll("\\s+", " ").contains("Sections (for --only / --skip): robustness, "
                + "width-transition, momentum, linear-regression, iris, fashion-mnist, practitioner, overparam, saddle, "
                + "saddle-control"), help.out());
        for (String line : help.out().lines().toList()) {
            assertTrue(line.length() <= 120, "long help line: " + line);
        }
        Outcome version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("adaloss-experiments "), version.out());
    }
}
