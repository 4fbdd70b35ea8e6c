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
 * the gradient-descent stability edge {@code 2 / lambda_max(H(t))}. Each width is trained with the b0 whose first
 * step is {@link #LAZY_RHO} times the edge (below the edge from the start: the regime of the lazy-training
 * theorems); the widest also with the b0 whose first step is {@link #SMALL_RHO} times the edge, where {@code b_t}
 * must first grow until the step is stable.
 * These are runs of the robustness sweep, observed by a {@link Recorder} while they train.
 */
public final class NtkExperiment {

    /** Experiment name in results and report. */
    public static final String NAME = "ntk";
    /** First step of the lazy runs as a multiple of the edge: below it from the first step. */
    public static final double LAZY_RHO = 0.5;
    /** First step of the run that starts with a too-large step, as a multiple of the edge. */
    public static final double SMALL_RHO = 100;

    /**
     * One training run with its NTK history.
     *
     * @param run       the loss and b curves
     * @param rho       its first step as a multiple of the edge
     * @param lambda0   {@code lambda_min(Hinf)} of the inputs
     * @param snapshots the listener's history
     */
    public record NtkRun(RunResult run, double rho, double lambda0, List<NtkSnapshot> snapshots) {

        /** @return whether it is a lazy run (first step {@link #LAZY_RHO} times the edge) */
        public boolean lazy() {
            return same(rho, LAZY_RHO);
        }
    }

    private NtkExperiment() {
    }

    /**
     * Attaches an {@link NtkSpectrumListener} to the robustness sweep's AdaLoss runs that the NTK section shows (one
     * per width with {@link #LAZY_RHO}, the widest also with {@link #SMALL_RHO}), so that those networks are trained
     * once, not a second time for the NTK (the listener does not change training: tested bit-identical).
     */
    public static final class Recorder {

        private final Options options;
        private final SyntheticProblem problem;
        private final int widest;
        private final List<NtkRun> runs = new ArrayList<>();
        private double lambda0 = Double.NaN;
        private final java.util.Map<Integer, KernelAtInit> kernels = new java.util.HashMap<>();
        private NtkSpectrumListener pending;
        private double pendingRho;

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

        /** Registers the kernel of a width, from which the b0 of its runs map to first-step multiples. */
        void kernel(KernelAtInit k) {
            kernels.put(k.width(), k);
        }

        /**
         * @return the listeners to attach to the run about to start: one NTK listener if the NTK section shows it,
         *         none otherwise
         */
        TrainingListener[] listenersFor(String optimizer, int width, double b0) {
            KernelAtInit k = kernels.get(width);
            pendingRho = k == null || !optimizer.equals("AdaLoss") ? Double.NaN : Grids.firstStepMultiple(k, b0);
            boolean shown = optimizer.equals("AdaLoss") && (Math.abs(pendingRho / LAZY_RHO - 1) < 1e-9
                    || (Math.abs(pendingRho / SMALL_RHO - 1) < 1e-9 && width == widest));
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
                runs.add(new NtkRun(ntk, pendingRho, lambda0, List.copyOf(pending.history())));
                pending = null;
            }
        }

        /** @return one lazy NTK run per width (in width order), then the widest with SMALL_RHO */
        public List<NtkRun> runs() {
            List<NtkRun> ordered = new ArrayList<>(runs.stream().filter(NtkRun::lazy).toList());
            ordered.addAll(runs.stream().filter(x -> !x.lazy()).toList());
            return List.copyOf(ordered);
        }
    }

    /** First-step multiples are computed: compare them to the constants with a relative tolerance. */
    private static boolean same(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.abs(b);
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
