package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Step-size robustness (AdaLoss paper, section 4 of ALGORITHMS.md): for every width, AdaLoss and AdaGrad-Norm over
 * {@code b0 in {1e-3..1e3}} at one learning rate {@link Grids#ADAPTIVE_ETA}; gradient descent over
 * {@link Grids#gdSteps}: a log grid with {@value Grids#PER_DECADE} points per decade, the fractions
 * {@link Grids#EDGE_FRACTIONS} of the width's stability edge {@code 2 / lambda_max(H(0))} (H the empirical NTK Gram
 * of the training inputs at initialization, which is the Gauss-Newton curvature of {@code L = 1/2 sum (f - y)^2}),
 * and the steps {@code eta / b0} AdaLoss starts from; Adam over {@link Grids#adamRates} ({@value Grids#PER_DECADE}
 * per decade).
 */
public final class RobustnessExperiment {

    /** Experiment name in results and report. */
    public static final String NAME = "robustness";

    private RobustnessExperiment() {
    }

    /** @return number of runs, for the progress bar */
    public static int runCount(Options o) {
        return o.widths().length * (2 * Grids.b0().length + Grids.gdStepCount(o.full())
                + Grids.adamRates(o.full()).length);
    }

    /**
     * @param problem the data and networks
     * @param width   m
     * @return the gradient-descent stability edge {@code 2 / lambda_max(H(0))} of the width's network at
     *         initialization ({@code H = J J^T}, the n x n empirical NTK Gram of the training inputs)
     */
    public static double stabilityEdge(SyntheticProblem problem, int width) {
        MultiLayerNetwork net = problem.network(width, new Sgd(0.0));
        return 2 / NtkSpectrum.of(EmpiricalNtk.gram(net, problem.data().getFeatures())).lambdaMax();
    }

    /** @return {@link #stabilityEdge} of every width of the options, by width */
    public static Map<Integer, Double> stabilityEdges(Options o, SyntheticProblem problem) {
        Map<Integer, Double> edges = new LinkedHashMap<>();
        for (int w : o.widths()) {
            edges.put(w, stabilityEdge(problem, w));
        }
        return Collections.unmodifiableMap(edges);
    }

    /**
     * @param o        options
     * @param problem  the data and networks
     * @param progress progress bar
     * @param ntk      attaches the NTK section's listeners to the runs it shows
     * @return one result per run
     */
    public static List<RunResult> run(Options o, SyntheticProblem problem, Progress progress,
                                      NtkExperiment.Recorder ntk) {
        List<RunResult> results = new ArrayList<>();
        for (int width : o.widths()) {
            sweep(results, o, problem, progress, ntk, width, "AdaLoss", "b0", Grids.b0(),
                    b0 -> new AdaLoss(Grids.ADAPTIVE_ETA, b0));
            sweep(results, o, problem, progress, ntk, width, "AdaGradNorm", "b0", Grids.b0(),
                    b0 -> new AdaGradNorm(Grids.ADAPTIVE_ETA, b0));
            sweep(results, o, problem, progress, ntk, width, "GD", "lr",
                    Grids.gdSteps(o.full(), stabilityEdge(problem, width)), Sgd::new);
            sweep(results, o, problem, progress, ntk, width, "Adam", "lr", Grids.adamRates(o.full()), Adam::new);
        }
        return results;
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
