package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.ntk.kernel.ReluNtk;
import io.github.adaloss.ntk.listener.NtkSnapshot;
import io.github.adaloss.ntk.listener.NtkSpectrumListener;
import io.github.adaloss.updater.AdaLoss;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The NTK during AdaLoss training, for every width, with {@link NtkSpectrumListener} on the training inputs:
 * {@code lambda_min(H(t)) / lambda_0}, the relative kernel drift, and the effective step {@code eta / b_t} next to
 * the gradient-descent stability edge {@code 2 / lambda_max(H(t))}. Each width is trained with
 * {@code b0 = }{@link #LAZY_B0} (steps below the edge from the start: the regime of the lazy-training theorems);
 * the widest also with {@code b0 = }{@link #SMALL_B0}, where {@code b_t} must first grow until the step is stable.
 */
public final class NtkExperiment {

    /** Experiment name in results and report. */
    public static final String NAME = "ntk";
    /** b0 of the lazy runs: {@code eta / b0 = 0.3}, below the stability edge from the first step. */
    public static final double LAZY_B0 = 1000;
    /** b0 of the run that starts with a too-large step. */
    public static final double SMALL_B0 = 0.01;

    /**
     * One training run with its NTK history.
     *
     * @param run       the loss and b curves
     * @param lambda0   {@code lambda_min(Hinf)} of the inputs
     * @param snapshots the listener's history
     */
    public record NtkRun(RunResult run, double lambda0, List<NtkSnapshot> snapshots) {
    }

    private NtkExperiment() {
    }

    /** @return number of runs */
    public static int runCount(Options o) {
        return o.widths().length + 1;
    }

    /** @return one NTK run per width with LAZY_B0, then the widest with SMALL_B0 */
    public static List<NtkRun> run(Options o, SyntheticProblem problem, Progress progress) {
        double lambda0 = ReluNtk.lambda0(problem.data().getFeatures());
        int every = Math.max(1, o.iterations() / 50);
        List<NtkRun> runs = new ArrayList<>();
        int widest = o.widths()[0];
        for (int w : o.widths()) {
            widest = Math.max(widest, w);
        }
        List<double[]> plan = new ArrayList<>();
        for (int w : o.widths()) {
            plan.add(new double[] {w, LAZY_B0});
        }
        plan.add(new double[] {widest, SMALL_B0});
        for (double[] p : plan) {
            int width = (int) p[0];
            MultiLayerNetwork net = problem.network(width, new AdaLoss(Grids.ADAPTIVE_ETA, p[1]));
            NtkSpectrumListener listener = NtkSpectrumListener.builder(problem.data().getFeatures())
                    .everyIterations(every).build();
            Trainer.Curves c = Trainer.fullBatch(net, problem.data(), o.iterations(), RunResult.EARLY_STOP, listener);
            RunResult r = new RunResult(NAME, "AdaLoss", "b0", p[1], width, o.seed(), c.loss(), c.b(), c.diverged(),
                    Double.NaN);
            runs.add(new NtkRun(r, lambda0, List.copyOf(listener.history())));
            progress.step(NAME + " " + r.label() + ": " + r.status());
        }
        return runs;
    }

    /** @return the smallest {@code lambda_min(H(t)) / lambda_0} over a run's snapshots */
    public static double minLambdaRatio(NtkRun run) {
        double m = Double.POSITIVE_INFINITY;
        for (NtkSnapshot s : run.snapshots()) {
            m = Math.min(m, s.lambdaMin() / run.lambda0());
        }
        return m;
    }
}
