package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Step-size robustness (AdaLoss paper, section 4 of ALGORITHMS.md): for every width, AdaLoss and AdaGrad-Norm over
 * {@code b0 in {1e-3..1e3}} at one learning rate {@link Grids#ADAPTIVE_ETA}, gradient descent over step sizes
 * {@code {1e-4..1e2}}, Adam over {@code {1e-4..1}}.
 */
public final class RobustnessExperiment {

    /** Experiment name in results and report. */
    public static final String NAME = "robustness";

    private RobustnessExperiment() {
    }

    /** @return number of runs, for the progress bar */
    public static int runCount(Options o) {
        return o.widths().length * (2 * Grids.b0().length + Grids.gdSteps().length + Grids.adamRates().length);
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
            sweep(results, o, problem, progress, ntk, width, "GD", "lr", Grids.gdSteps(), Sgd::new);
            sweep(results, o, problem, progress, ntk, width, "Adam", "lr", Grids.adamRates(), Adam::new);
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
