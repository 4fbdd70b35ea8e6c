package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Step-size robustness (AdaLoss paper, section 4 of ALGORITHMS.md): for every width, AdaLoss and AdaGrad-Norm at one
 * learning rate {@link Grids#adaptiveEta} derived from the kernel at initialization, over the b0 of
 * {@link Grids#b0(KernelAtInit)} (first steps {@link Grids#FIRST_STEP_MULTIPLES} times the stability edge
 * {@code 2 / lambda_max(H(0))}; H the empirical NTK Gram of the training inputs at initialization, which is the
 * Gauss-Newton curvature of {@code L = 1/2 sum (f - y)^2}); gradient descent over {@link Grids#gdSteps}: a log grid
 * with {@value Grids#PER_DECADE} points per decade and the fractions {@link Grids#EDGE_FRACTIONS} of the edge; Adam
 * over {@link Grids#adamRates} ({@value Grids#PER_DECADE} per decade).
 */
public final class RobustnessExperiment {

    /** Experiment name in results and report. */
    public static final String NAME = "robustness";

    private RobustnessExperiment() {
    }

    /** @return number of runs, for the progress bar */
    public static int runCount(Options o) {
        return o.widths().length * (2 * Grids.FIRST_STEP_MULTIPLES.length + Grids.gdStepCount(o.full())
                + Grids.adamRates(o.full()).length);
    }

    /**
     * The runs of the sweep and the kernel of every width they were derived from.
     *
     * @param runs    one result per run
     * @param kernels the kernel at initialization, by width
     */
    public record Sweep(List<RunResult> runs, Map<Integer, KernelAtInit> kernels) {
    }

    /**
     * @param o        options
     * @param problem  the data and networks
     * @param progress progress bar
     * @param ntk      attaches the NTK section's listeners to the runs it shows
     * @return one result per run, and the kernels
     */
    public static Sweep run(Options o, SyntheticProblem problem, Progress progress, NtkExperiment.Recorder ntk) {
        List<RunResult> results = new ArrayList<>();
        Map<Integer, KernelAtInit> kernels = new LinkedHashMap<>();
        for (int width : o.widths()) {
            KernelAtInit k = KernelAtInit.of(problem, width);
            kernels.put(width, k);
            double eta = Grids.adaptiveEta(k);
            ntk.kernel(k);
            sweep(results, o, problem, progress, ntk, width, "AdaLoss", "b0", Grids.b0(k), b0 -> new AdaLoss(eta, b0));
            sweep(results, o, problem, progress, ntk, width, "AdaGradNorm", "b0", Grids.b0(k),
                    b0 -> new AdaGradNorm(eta, b0));
            sweep(results, o, problem, progress, ntk, width, "GD", "lr", Grids.gdSteps(o.full(), k.edge()), Sgd::new);
            sweep(results, o, problem, progress, ntk, width, "Adam", "lr", Grids.adamRates(o.full()), Adam::new);
        }
        return new Sweep(List.copyOf(results), Collections.unmodifiableMap(kernels));
    }

    private static void sweep(List<RunResult> results, Options o, SyntheticProblem problem, Progress progress,
                              NtkExperiment.Recorder ntk, int width, String optimizer, String parameter, double[] grid,
                              DoubleFunction<IUpdater> updater) {
        for (double v : grid) {
            Trainer.Curves c = Trainer.fullBatch(problem.network(width, updater.apply(v)), problem.data(),
                    o.iterations(), RunResult.EARLY_STOP, ntk.listenersFor(optimizer, width, v));
            RunResult r = new RunResult(NAME, optimizer, parameter, v, width, o.seed(), c.loss(), c.b(), c.diverged(),
                    Double.NaN);
            results.add(r);
            ntk.finished(r);
            progress.step(NAME + " " + r.label() + ": " + r.status());
        }
    }
}
