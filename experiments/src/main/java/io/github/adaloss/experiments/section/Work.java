package io.github.adaloss.experiments.section;

/**
 * The work a section plans: how many times it will call {@code progress.step(label)}, and how many seconds those
 * steps are expected to take together on one thread at the default size (a weight, not a promise: the progress bar
 * counts each step as {@code seconds / steps} and rescales the ETA by the speed observed so far).
 *
 * @param steps   progress steps, at least 0
 * @param seconds estimated cost of all steps, at least 0
 */
public record Work(int steps, double seconds) {

    /** Validates. */
    public Work {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be finite and >= 0, got " + seconds);
        }
    }

    /** @return no work (a section with nothing to run for these options) */
    public static Work none() {
        return new Work(0, 0);
    }
}
