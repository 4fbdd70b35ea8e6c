package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.ntk.kernel.ReluNtk;
import io.github.adaloss.ntk.listener.NtkSnapshot;
import io.github.adaloss.ntk.listener.NtkSpectrumListener;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * The NTK during AdaLoss training, for every width, with {@link NtkSpectrumListener} on the training inputs:
 * {@code lambda_min(H(t)) / lambda_0}, the relative kernel drift, and the effective step {@code eta / b_t} next to
 * the gradient-descent stability edge {@code 2 / lambda_max(H(t))}. Each width is trained with
 * {@code b0 = }{@link #LAZY_B0} (steps below the edge from the start: the regime of the lazy-training theorems);
 * the widest also with {@code b0 = }{@link #SMALL_B0}, where {@code b_t} must first grow until the step is stable.
 * These are runs of the robustness sweep, observed by a {@link Recorder} while they train.
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

    /**
     * Attaches an {@link NtkSpectrumListener} to the robustness sweep's AdaLoss runs that the NTK section shows (one
     * per width with {@link #LAZY_B0}, the widest also with {@link #SMALL_B0}), so that those networks are trained
     * once, not a second time for the NTK (the listener does not change training: tested bit-identical).
     */
    public static final class Recorder {

        private final Options options;
        private final SyntheticProblem problem;
        private final int widest;
        private final List<NtkRun> runs = new ArrayList<>();
        private double lambda0 = Double.NaN;
        private NtkSpectrumListener pending;

        /**
         * @param options widths and iterations
         * @param problem the training inputs (also the probe set)
         */
        public Recorder(Options options, SyntheticProblem problem) {
            this.options = options;
            this.problem = problem;
            int w = options.widths()[0];
            for (int x : options.widths()) {
                w = Math.max(w, x);
            }
            this.widest = w;
        }

        /**
         * @return the listeners to attach to the run about to start: one NTK listener if the NTK section shows it,
         *         none otherwise
         */
        TrainingListener[] listenersFor(String optimizer, int width, double b0) {
            boolean shown = optimizer.equals("AdaLoss") && (same(b0, LAZY_B0) || (same(b0, SMALL_B0) && width == widest));
            pending = shown ? NtkSpectrumListener.builder(problem.data().getFeatures())
                    .everyIterations(Math.max(1, options.iterations() / 50))
                    .stepSize(m -> AdaptiveSteps.currentStep(m).orElse(Double.NaN)).build() : null;
            return pending == null ? new TrainingListener[0] : new TrainingListener[] {pending};
        }

        /** Keeps the history of the run that just ended, if it had an NTK listener. */
        void finished(RunResult r) {
            if (pending != null) {
                if (Double.isNaN(lambda0)) {
                    lambda0 = ReluNtk.lambda0(problem.data().getFeatures());
                }
                RunResult ntk = new RunResult(NAME, r.optimizer(), r.parameter(), r.value(), r.width(), r.seed(),
                        r.loss(), r.b(), r.diverged(), r.accuracy());
                runs.add(new NtkRun(ntk, lambda0, List.copyOf(pending.history())));
                pending = null;
            }
        }

        /** @return one NTK run per width with LAZY_B0 (in width order), then the widest with SMALL_B0 */
        public List<NtkRun> runs() {
            List<NtkRun> ordered = new ArrayList<>(runs.stream().filter(x -> same(x.run().value(), LAZY_B0)).toList());
            ordered.addAll(runs.stream().filter(x -> !same(x.run().value(), LAZY_B0)).toList());
            return List.copyOf(ordered);
        }
    }

    /** Grid values are computed as powers of ten: compare them to the constants with a relative tolerance. */
    private static boolean same(double a, double b) {
        return Math.abs(a - b) <= 1e-12 * Math.abs(b);
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
