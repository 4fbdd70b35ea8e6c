package io.github.adaloss.experiments.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import picocli.CommandLine.ParameterException;

/**
 * The picocli plumbing the project's command lines share (the main job's {@link CommandLine} and the realistic
 * benchmark's): parse with one-line errors, and the usage text as a string.
 */
public final class Picocli {

    private Picocli() {
    }

    /**
     * Parses {@code args} into the annotated object behind {@code cl}.
     *
     * @param cl    a picocli command line on the annotated options object
     * @param args  command-line arguments
     * @param usage the usage text, thrown as info when -h / --help is given
     * @throws UsageException the first line of picocli's message plus " (see --help)" for a bad argument; the usage
     *                        text (info) for -h / --help
     */
    public static void parse(picocli.CommandLine cl, String[] args, Supplier<String> usage) {
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            String msg = e.getMessage() == null ? "bad command line" : e.getMessage().lines().findFirst().orElse("");
            throw new UsageException(msg + " (see --help)");
        }
        if (cl.isUsageHelpRequested()) {
            throw UsageException.info(usage.get());
        }
    }

    /**
     * @param cl a picocli command line
     * @return its usage text, with the defaults
     */
    public static String usage(picocli.CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w));
        return w.toString();
    }
}
