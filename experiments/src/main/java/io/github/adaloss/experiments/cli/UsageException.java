package io.github.adaloss.experiments.cli;

/**
 * A command line that does not run the suite: either bad (its message is printed as one line on stderr and the
 * program exits with 2) or a request for help or the version (printed on stdout, exit 0).
 */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean info;

    /** @param message what is wrong, one line */
    public UsageException(String message) {
        this(message, false);
    }

    private UsageException(String message, boolean info) {
        super(message);
        this.info = info;
    }

    /**
     * @param text the help or version text
     * @return an exception carrying it (exit code 0)
     */
    public static UsageException info(String text) {
        return new UsageException(text, true);
    }

    /** @return true for help / version text (stdout, exit 0), false for an error (stderr, exit 2) */
    public boolean isInfo() {
        return info;
    }
}
