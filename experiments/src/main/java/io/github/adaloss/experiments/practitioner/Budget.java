package io.github.adaloss.experiments.practitioner;

/**
 * The training budget of a configuration: the only thing changed from the published example.
 *
 * @param trainExamples training examples used (the first ones of the data set, or generated)
 * @param testExamples  test examples
 * @param epochs        passes over the training examples
 */
public record Budget(int trainExamples, int testExamples, int epochs) {

    /** Validates. */
    public Budget {
        if (trainExamples < 1 || testExamples < 1 || epochs < 1) {
            throw new IllegalArgumentException("budget sizes must be >= 1, got train=" + trainExamples + ", test="
                    + testExamples + ", epochs=" + epochs);
        }
    }

    /**
     * @param batchSize examples per update
     * @return updates per run
     */
    public int updates(int batchSize) {
        return epochs * ((trainExamples + batchSize - 1) / batchSize);
    }
}
