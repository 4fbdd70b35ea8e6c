package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.NtkSpectrum;
import io.github.adaloss.updater.HeavyBall;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Heavy ball vs Nesterov (Bu, Xu, Chen, arXiv:2010.13165) on the synthetic problem at the middle width: gradient
 * descent, heavy ball with constant {@code beta = 0.9} and Nesterov with {@code beta_t = (t-1)/(t+2)}, all with
 * the step {@code eta = 1 / lambda_max(H(0))}. The tail rate is {@code exp(slope)} of a least-squares line through
 * {@code ln loss} over the second half of the run: below 1 means linear convergence, the smaller the faster.
 */
public final class MomentumExperiment {

    /** Experiment name in results and report. */
    public static final String NAME = "momentum";
    /** Heavy-ball momentum. */
    public static final double BETA = 0.9;

    private MomentumExperiment() {
    }

    /** @return number of runs */
    public static int runCount() {
        return 3;
    }

    /** @return the width used: the middle one of the options */
    public static int width(Options o) {
        return o.widths()[o.widths().length / 2];
    }

    /**
     * @return results for GD, HeavyBall, Nesterov (in that order); the parameter is the step size eta
     */
    public static List<RunResult> run(Options o, SyntheticProblem problem, Progress progress) {
        int width = width(o);
        double lambdaMax = NtkSpectrum.of(EmpiricalNtk.gram(problem.network(width, new Sgd(1)),
                problem.data().getFeatures())).lambdaMax();
        double eta = 1 / lambdaMax;
        List<RunResult> results = new ArrayList<>();
        IUpdater[] updaters = {new Sgd(eta), new HeavyBall(eta, BETA), new Nesterovs(eta, new NesterovMomentumSchedule())};
        String[] names = {"GD", "HeavyBall", "Nesterov"};
        for (int i = 0; i < updaters.length; i++) {
            Trainer.Curves c = Trainer.fullBatch(problem.network(width, updaters[i]), problem.data(),
                    o.iterations(), 0);
            RunResult r = new RunResult(NAME, names[i], "lr", eta, width, o.seed(), c.loss(), c.b(), c.diverged(),
                    Double.NaN);
            results.add(r);
            progress.step(NAME + " " + r.label() + ": tail rate " + tailRate(r.loss()));
        }
        return results;
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
