package io.github.adaloss.experiments.practitioner;

import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One optimizer setting of the suite.
 *
 * @param family    "published", "AdaLoss", "AdaGradNorm", "AdamLoss", "Adam" or "SGD"
 * @param parameter what this run varies: "published", "default", "b0", "eta" (a multiple of the default) or "lr"
 * @param value     the varied value (b0, eta multiple or learning rate; NaN for "published" and "default")
 * @param eta       the learning rate used (NaN if not applicable)
 * @param b0        the initial accumulator used (NaN if not applicable)
 * @param updater   the DL4J updater
 */
public record OptimizerSpec(String family, String parameter, double value, double eta, double b0, IUpdater updater) {

    /** @return e.g. "AdaLoss b0=0.01" */
    public String label() {
        return switch (parameter) {
            case "published" -> "published " + updater.getClass().getSimpleName();
            case "default" -> family + " default";
            case "eta" -> family + " eta=" + fmt(value) + "x";
            default -> family + " " + parameter + "=" + fmt(value);
        };
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.valueOf((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
