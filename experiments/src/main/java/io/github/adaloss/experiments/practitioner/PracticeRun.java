package io.github.adaloss.experiments.practitioner;

/**
 * The outcome of one training run of the suite.
 *
 * @param workload    configuration id
 * @param family      optimizer family ("published", "AdaLoss", ...)
 * @param parameter   what the run varies ("published", "default", "b0", "eta", "lr")
 * @param value       the varied value (NaN for published/default)
 * @param eta         learning rate used (NaN if not applicable)
 * @param b0          initial accumulator used (NaN if not applicable)
 * @param seed        seed of initialization and data order
 * @param regression  true if {@code metric} is a relative error (lower is better), false for an accuracy
 * @param metric      test accuracy in [0, 1], or test RMSE / std of the test targets; NaN when crashed
 * @param initialLoss mean training loss of the first tenth of the updates
 * @param finalLoss   mean training loss of the last tenth of the updates (NaN if training stopped early)
 * @param status      "ok", "diverged" (the loss became NaN or infinite without an exception) or "crashed" (an
 *                    exception ended training)
 * @param error       the exception's class and message, empty unless crashed
 * @param finalB      the AdaLoss-family accumulator b at the end (NaN for other updaters)
 * @param recoveries  steps rejected and recovered by the loss feed's overshoot recovery
 * @param updates     updates done
 * @param seconds     wall-clock seconds of the run (build, training, evaluation)
 */
public record PracticeRun(String workload, String family, String parameter, double value, double eta, double b0,
                          long seed, boolean regression, double metric, double initialLoss, double finalLoss,
                          String status, String error, double finalB, long recoveries, int updates,
                          double seconds) {

    /** @return true if the run ended in an exception */
    public boolean crashed() {
        return "crashed".equals(status);
    }

    /** @return true if the mean training loss of the last tenth is below that of the first tenth */
    public boolean lossDecreased() {
        return "ok".equals(status) && finalLoss < initialLoss;
    }

    /** @return e.g. "AdaLoss b0=0.01" */
    public String label() {
        return switch (parameter) {
            case "published" -> "published";
            case "default" -> family + " default";
            case "eta" -> family + " eta=" + OptimizerSpec.fmt(value) + "x";
            default -> family + " " + parameter + "=" + OptimizerSpec.fmt(value);
        };
    }
}
