package io.github.adaloss.experiments.linear;

import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.experiments.synthetic.Grids;
import io.github.adaloss.experiments.synthetic.KernelAtInit;
import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The AdaLoss paper's linear-regression experiment on a {@link LeastSquaresProblem}: AdaLoss and AdaGrad-Norm at one
 * learning rate derived from the spectrum ({@link Grids#adaptiveEta}: b0 -> 0 would start at {@link Grids#RHO_MAX}
 * times the edge {@code 2 / mu_max} of {@code X^T X / n}) over the b0 of {@link Grids#b0(KernelAtInit)} (first
 * steps {@link Grids#FIRST_STEP_MULTIPLES} times the edge), gradient descent at the same fixed first steps
 * {@code rho * edge} (what GD with b frozen at b0 would do) and at its closed-form optimal step
 * {@code 2 / (mu_max + mu_min)}. Runs stop at {@link #STOP} of the initial loss, so their tails can be fitted.
 */
public final class LinearRegressionExperiment {

    /** Experiment name in results and report. */
    public static final String NAME = "linear-regression";
    /** Runs stop once the loss is this fraction of the initial one (far below the target: the tail is fitted). */
    public static final double STOP = 1e-10;

    private LinearRegressionExperiment() {
    }

    /**
     * Sizes.
     *
     * @param n          examples
     * @param d          features
     * @param iterations budget per run
     */
    public record Config(int n, int d, int iterations) {

        /** @return the default size: n = 200, d = 20, 1000 iterations */
        public static Config defaults() {
            return new Config(200, 20, 1000);
        }

        /** Validates. */
        public Config {
            if (n < 2 || d < 1 || d > n || iterations < 2) {
                throw new IllegalArgumentException("need n >= 2, 1 <= d <= n and iterations >= 2, got n=" + n
                        + ", d=" + d + ", iterations=" + iterations);
            }
        }
    }

    /**
     * @param config  the sizes
     * @param problem the least-squares problem
     * @param runs    AdaLoss, AdaGrad-Norm and GD over the grid, then GD at its optimal step
     */
    public record Result(Config config, LeastSquaresProblem problem, List<RunResult> runs) {

        /** @return the runs of one optimizer */
        public List<RunResult> of(String optimizer) {
            return runs.stream().filter(r -> r.optimizer().equals(optimizer)).toList();
        }

        /** @return the closed-form optimal GD step {@code 2 / (mu_max + mu_min)} */
        public double optimalStep() {
            return optimalStepOf(problem);
        }
    }

    /** @return the closed-form optimal GD step {@code 2 / (mu_max + mu_min)} of the problem */
    public static double optimalStepOf(LeastSquaresProblem p) {
        double[] mu = p.hessianEigenvalues();
        return 2 / (mu[mu.length - 1] + mu[0]);
    }

    /** @return runs of {@link #run}, for a progress bar */
    public static int runCount() {
        return 3 * Grids.FIRST_STEP_MULTIPLES.length + 1;
    }

    /**
     * @param config   sizes
     * @param seed     seed of the problem
     * @param progress called after every run (may be null)
     * @return the runs
     */
    public static Result run(Config config, long seed, Consumer<String> progress) {
        LeastSquaresProblem p = new LeastSquaresProblem(config.n(), config.d(), seed);
        KernelAtInit k = p.kernel();
        double eta = Grids.adaptiveEta(k);
        List<RunResult> runs = new ArrayList<>();
        for (double rho : Grids.FIRST_STEP_MULTIPLES) {
            double b0 = Grids.b0For(k, rho);
            runs.add(train(p, config, seed, "AdaLoss", "b0", b0, new AdaLoss(eta, b0), progress));
        }
        for (double rho : Grids.FIRST_STEP_MULTIPLES) {
            double b0 = Grids.b0For(k, rho);
            runs.add(train(p, config, seed, "AdaGradNorm", "b0", b0, new AdaGradNorm(eta, b0), progress));
        }
        for (double rho : Grids.FIRST_STEP_MULTIPLES) {
            runs.add(train(p, config, seed, "GD", "lr", rho * k.edge(), new Sgd(rho * k.edge()), progress));
        }
        double best = optimalStepOf(p);
        runs.add(train(p, config, seed, "GD", "lr", best, new Sgd(best), progress));
        return new Result(config, p, List.copyOf(runs));
    }

    private static RunResult train(LeastSquaresProblem p, Config c, long seed, String optimizer, String parameter,
                                   double value, org.nd4j.linalg.learning.config.IUpdater updater,
                                   Consumer<String> progress) {
        Trainer.Curves cv = Trainer.fullBatch(p.network(updater), p.data(), c.iterations(), STOP);
        RunResult r = new RunResult(NAME, optimizer, parameter, value, 0, seed, cv.loss(), cv.b(), cv.diverged(),
                Double.NaN);
        if (progress != null) {
            progress.accept(NAME + " " + r.label() + ": " + r.status());
        }
        return r;
    }
}
