package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.updater.HeavyBall;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Heavy ball vs Nesterov (Bu, Xu, Chen, arXiv:2010.13165) on the synthetic problem, at the middle and the widest
 * width of the options and {@link #SEEDS} seeds (the options' seed and the next ones): gradient descent, heavy ball
 * with constant {@code beta = 0.9} and Nesterov with {@code beta_t = (t-1)/(t+2)}, all with the step
 * {@code eta = 1 / lambda_max(H(0))}. The tail rate is {@code exp(slope)} of a least-squares line through
 * {@code ln loss} over the second half of the run: below 1 means linear convergence, the smaller the faster. The
 * kernel at initialization predicts the GD and heavy-ball rates ({@link LinearizedDynamics}); Nesterov runs
 * {@link #NESTEROV_HORIZONS} times the budget at the middle width, so that its fitted rate can be followed as the
 * horizon grows.
 */
public final class MomentumExperiment {

    /** Experiment name in results and report. */
    public static final String NAME = "momentum";
    /** Heavy-ball momentum. */
    public static final double BETA = 0.9;
    /** Number of seeds. */
    public static final int SEEDS = 3;
    /** Nesterov's run at the middle width is this many times the iteration budget. */
    public static final int NESTEROV_HORIZONS = 2;

    private MomentumExperiment() {
    }

    /**
     * One (seed, width) of the experiment.
     *
     * @param seed     the seed
     * @param width    m
     * @param kernel   the kernel at initialization
     * @param gd       gradient descent
     * @param heavy    heavy ball
     * @param nesterov Nesterov (longer at the middle width)
     */
    public record Case(long seed, int width, KernelAtInit kernel, RunResult gd, RunResult heavy, RunResult nesterov) {

        /** @return the common step {@code 1 / lambda_max(H(0))} */
        public double step() {
            return 1 / kernel.spectrum().lambdaMax();
        }

        /** @return GD's tail rate predicted by the linearized kernel over the same window as the run's */
        public double predictedGdRate() {
            return tailRate(kernel.dynamics().gradientDescent(step(), gd.loss().length - 1));
        }

        /** @return heavy ball's tail rate predicted by the linearized kernel over the same window */
        public double predictedHeavyBallRate() {
            return tailRate(kernel.dynamics().heavyBall(step(), BETA, heavy.loss().length - 1));
        }

        /** @return the three runs */
        public List<RunResult> runs() {
            return List.of(gd, heavy, nesterov);
        }
    }

    /** @return number of runs */
    public static int runCount(Options o) {
        return 3 * SEEDS * widths(o).length;
    }

    /** @return the width of the single-width charts: the middle one of the options */
    public static int width(Options o) {
        return o.widths()[o.widths().length / 2];
    }

    /** @return the middle and the widest width of the options (one if they coincide) */
    public static int[] widths(Options o) {
        int widest = java.util.Arrays.stream(o.widths()).max().orElseThrow();
        return width(o) == widest ? new int[] {widest} : new int[] {width(o), widest};
    }

    /** @return one case per seed and width */
    public static List<Case> run(Options o, Progress progress) {
        List<Case> cases = new ArrayList<>();
        for (int s = 0; s < SEEDS; s++) {
            Options at = o.withSeed(o.seed() + s);
            SyntheticProblem problem = new SyntheticProblem(at);
            for (int width : widths(o)) {
                KernelAtInit k = KernelAtInit.of(problem, width);
                double eta = 1 / k.spectrum().lambdaMax();
                IUpdater[] updaters = {new Sgd(eta), new HeavyBall(eta, BETA),
                        new Nesterovs(eta, new NesterovMomentumSchedule())};
                String[] names = {"GD", "HeavyBall", "Nesterov"};
                RunResult[] r = new RunResult[3];
                for (int i = 0; i < updaters.length; i++) {
                    int iterations = i == 2 && width == width(o) ? NESTEROV_HORIZONS * o.iterations() : o.iterations();
                    Trainer.Curves c = Trainer.fullBatch(problem.network(width, updaters[i]), problem.data(),
                            iterations, 0);
                    r[i] = new RunResult(NAME, names[i], "lr", eta, width, at.seed(), c.loss(), c.b(), c.diverged(),
                            Double.NaN);
                    progress.step(NAME + " " + r[i].label() + " seed=" + at.seed() + ": tail rate "
                            + tailRate(r[i].loss()));
                }
                cases.add(new Case(at.seed(), width, k, r[0], r[1], r[2]));
            }
        }
        return List.copyOf(cases);
    }

    /**
     * @param loss    a loss curve
     * @param horizon T, at most {@code loss.length - 1}
     * @return {@link #tailRate} of the curve cut at T (the fit over {@code [T/2, T]})
     */
    public static double tailRate(double[] loss, int horizon) {
        return tailRate(java.util.Arrays.copyOf(loss, Math.min(loss.length, horizon + 1)));
    }

    /**
     * @param loss a loss curve
     * @return {@code exp(slope)} of the least-squares fit of {@code ln loss[t]} over the second half of the curve,
     *         ignoring values at or below 1e-28 (floating-point floor); NaN if fewer than 3 points remain
     */
    public static double tailRate(double[] loss) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int count = 0;
        for (int t = loss.length / 2; t < loss.length; t++) {
            if (loss[t] > 1e-28 && Double.isFinite(loss[t])) {
                double y = Math.log(loss[t]);
                sx += t;
                sy += y;
                sxx += (double) t * t;
                sxy += t * y;
                count++;
            }
        }
        if (count < 3) {
            return Double.NaN;
        }
        double slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);
        return Math.exp(slope);
    }
}
