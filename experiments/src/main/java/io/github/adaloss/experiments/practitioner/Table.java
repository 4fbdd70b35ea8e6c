package io.github.adaloss.experiments.practitioner;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Look-ups over the suite's runs: means over seeds per (configuration, optimizer setting). */
public final class Table {

    private Table() {
    }

    static boolean matches(PracticeRun r, String w, String family, String parameter, double value) {
        return r.workload().equals(w) && r.family().equals(family) && r.parameter().equals(parameter)
                && (Double.isNaN(value) ? Double.isNaN(r.value()) : r.value() == value);
    }

    /**
     * @return the mean metric over seeds of the matching runs (a crashed run counts as the worst value: 0 accuracy,
     *         NaN relative error makes the mean NaN); empty if there are none
     */
    static OptionalDouble mean(List<PracticeRun> runs, String w, String family, String parameter, double value) {
        double s = 0;
        int n = 0;
        for (PracticeRun r : runs) {
            if (matches(r, w, family, parameter, value)) {
                s += Double.isNaN(r.metric()) && !r.regression() ? 0 : r.metric();
                n++;
            }
        }
        return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(s / n);
    }

    static int crashes(List<PracticeRun> runs, String w, String family, String parameter, double value) {
        return (int) runs.stream().filter(r -> matches(r, w, family, parameter, value) && r.crashed()).count();
    }

    static int crashesAtB0(List<PracticeRun> runs, String w, String family, double b0) {
        double def = OptimizerGrid.defaultB0(family);
        return b0 == def ? crashes(runs, w, family, "default", Double.NaN) : crashes(runs, w, family, "b0", b0);
    }

    static boolean regression(List<PracticeRun> runs, String w) {
        return runs.stream().filter(r -> r.workload().equals(w)).anyMatch(PracticeRun::regression);
    }

    /** @return b0 to mean metric at the default eta (the default run gives the default b0's point) */
    static TreeMap<Double, Double> b0Curve(List<PracticeRun> runs, String w, String family) {
        TreeMap<Double, Double> out = new TreeMap<>();
        mean(runs, w, family, "default", Double.NaN).ifPresent(m -> out.put(OptimizerGrid.defaultB0(family), m));
        for (double b : OptimizerGrid.B0) {
            mean(runs, w, family, "b0", b).ifPresent(m -> out.put(b, m));
        }
        return out;
    }

    /**
     * @return an accuracy in percent ("84.1%") or a relative error ("0.412"); "crash" for NaN, "diverged" for a
     *         relative error above 1000
     */
    static String show(boolean regression, double v) {
        if (Double.isNaN(v)) {
            return "crash";
        }
        if (regression && v > 1e3) {
            return "diverged";
        }
        return regression ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
