package io.github.adaloss.updater;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A double stored in two consecutive slots of an updater state view of any floating data type, as an unevaluated
 * sum {@code hi + lo}. In a FLOAT view this keeps about 48 significant bits, so an accumulator summed over many
 * steps does not lose the precision a single float would; in a DOUBLE view {@code lo} is zero. Because the
 * value lives in the state view, {@code ModelSerializer} checkpoints it and a restored network resumes
 * bit-identically.
 */
final class CompensatedScalar {

    private final INDArray slots;

    /** @param slots a view of length 2 into the updater state */
    CompensatedScalar(INDArray slots) {
        if (slots.length() != 2) {
            throw new IllegalArgumentException("CompensatedScalar needs 2 slots, got " + slots.length());
        }
        this.slots = slots;
    }

    /** @return the largest magnitude the slots' data type can hold */
    double max() {
        return switch (slots.dataType()) {
            case DOUBLE -> Double.MAX_VALUE;
            case FLOAT -> Float.MAX_VALUE;
            case HALF -> 65504.0;
            case BFLOAT16 -> 3.3895e38;
            default -> Double.MAX_VALUE;
        };
    }

    double get() {
        return slots.getDouble(0) + slots.getDouble(1);
    }

    void set(double value) {
        slots.putScalar(0, value);
        double hi = slots.getDouble(0);
        slots.putScalar(1, value - hi);
    }

    /** @return the underlying two-slot view */
    INDArray slots() {
        return slots;
    }
}
