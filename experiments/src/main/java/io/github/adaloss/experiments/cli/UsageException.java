package io.github.adaloss.experiments.cli;

/** A bad command line: its message is printed as one line (or the usage text) and the program exits with 2. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong */
    public UsageException(String message) {
        super(message);
    }
}
