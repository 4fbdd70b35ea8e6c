package io.github.adaloss.updater;

/** Eager validation of updater hyperparameters; every message names the updater, the field and the value. */
final class Hyperparameters {

    private Hyperparameters() {
    }

    /** {@code value > 0} and finite. */
    static double positive(String updater, String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    updater + ": " + field + " must be positive and finite, got " + value);
        }
        return value;
    }

    /** {@code value >= 0} and finite. */
    static double nonNegative(String updater, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    updater + ": " + field + " must be non-negative and finite, got " + value);
        }
        return value;
    }

    /** {@code 0 <= value < 1}. */
    static double unitInterval(String updater, String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(updater + ": " + field + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** A learning rate: positive and finite, unless a schedule replaces it (then it is ignored). */
    static double learningRate(String updater, double value, Object schedule) {
        return schedule == null ? positive(updater, "learningRate", value) : value;
    }
}
