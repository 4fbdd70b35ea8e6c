package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.run.Trainer;
import io.github.adaloss.updater.AdaLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Where does the robustness claim start to hold? AdaLoss at its one learning rate {@link Grids#ADAPTIVE_ETA} over
 * every b0 of {@link Grids#b0()}, on the robustness problem (n, d, iterations of the options) at widths
 * {@code m = ratio * n} for every ratio of the config, at several seeds that are NOT the reported seed
 * ({@code seed + 1 .. seed + seeds}: data, initialization, everything). The measured quantity is the fraction of
 * (b0, seed) pairs that reach relative loss {@link RunResult#TARGET} within the iteration budget.
 */
public final class WidthTransition {

    /** Experiment name in results. */
    public static final String NAME = "width-transition";

    /**
     * Sizes.
     *
     * @param ratios the m/n grid, ascending
     * @param seeds  number of seeds ({@code seed + 1 .. seed + seeds}; the reported seed itself is not used)
     */
    public record Config(int[] ratios, int seeds) {

        /** @return the default size: m/n in {1, 2, 5, 10, 20}, 2 seeds (m/n = 40 is the default run's 4000) */
        public static Config defaults() {
            return new Config(new int[] {1, 2, 5, 10, 20}, 2);
        }

        /** @return the {@code --full} size: m/n in {1, 2, 5, 10, 20, 40}, 5 seeds */
        public static Config full() {
            return new Config(new int[] {1, 2, 5, 10, 20, 40}, 5);
        }

        /** Validates and copies. */
        public Config {
            if (ratios.length == 0 || seeds < 1) {
                throw new IllegalArgumentException("ratios must be non-empty and seeds >= 1, got "
                        + ratios.length + " ratios, seeds " + seeds);
            }
            ratios = ratios.clone();
        }
    }

    /**
     * @param config the sizes
     * @param n      training examples (m = ratio * n)
     * @param runs   every run (experiment {@link #NAME}, optimizer AdaLoss, parameter b0, seed of the run)
     */
    public record Result(Config config, int n, List<RunResult> runs) {

        /** @return the fraction of (b0, seed) runs at width {@code ratio * n} that reach the target */
        public double fractionReached(int ratio) {
            List<RunResult> at = runs.stream().filter(r -> r.width() == ratio * n).toList();
            return at.isEmpty() ? Double.NaN
                    : (double) at.stream().filter(RunResult::reachedTarget).count() / at.size();
        }

        /**
         * @return the smallest ratio of the grid from which every run at that ratio and every larger one reaches the
         *         target, or -1 if even the largest ratio misses some
         */
        public int transitionRatio() {
            int t = -1;
            int[] r = config.ratios();
            for (int i = r.length - 1; i >= 0 && fractionReached(r[i]) == 1.0; i--) {
                t = r[i];
            }
            return t;
        }

        /** @return CSV {@code ratio,width,seed,b0,iterations_to_target,diverged} (empty: not reached) */
        public String toCsv() {
            StringBuilder sb = new StringBuilder("ratio,width,seed,b0,iterations_to_target,diverged\n");
            for (RunResult r : runs) {
                sb.append(r.width() / n).append(',').append(r.width()).append(',').append(r.seed()).append(',')
                        .append(r.value()).append(',').append(r.reachedTarget() ? r.iterationsToTarget() : "")
                        .append(',').append(r.diverged()).append('\n');
            }
            return sb.toString();
        }
    }

    private WidthTransition() {
    }

    /** @return runs of {@link #run}, for a progress bar */
    public static int runCount(Config c) {
        return c.ratios().length * c.seeds() * Grids.b0().length;
    }

    /**
     * @param o        options (n, d, iterations, base seed)
     * @param c        sizes
     * @param progress called after every run (may be null)
     * @return the runs
     */
    public static Result run(Options o, Config c, Consumer<String> progress) {
        List<RunResult> runs = new ArrayList<>();
        for (int k = 1; k <= c.seeds(); k++) {
            long seed = o.seed() + k;
            Options at = o.withSeed(seed);
            SyntheticProblem problem = new SyntheticProblem(at);
            for (int ratio : c.ratios()) {
                int width = ratio * o.n();
                for (double b0 : Grids.b0()) {
                    Trainer.Curves cv = Trainer.fullBatch(problem.network(width, new AdaLoss(Grids.ADAPTIVE_ETA, b0)),
                            problem.data(), o.iterations(), RunResult.EARLY_STOP);
                    RunResult r = new RunResult(NAME, "AdaLoss", "b0", b0, width, seed, cv.loss(), cv.b(),
                            cv.diverged(), Double.NaN);
                    runs.add(r);
                    if (progress != null) {
                        progress.accept(NAME + " " + r.label() + " seed=" + seed + ": " + r.status());
                    }
                }
            }
        }
        return new Result(c, o.n(), List.copyOf(runs));
    }

    /**
     * The threshold {@link RobustnessClaims#OVERPARAMETERIZED} is justified by the measurement: every (b0, seed) run
     * at every measured ratio {@code m/n >= OVERPARAMETERIZED} reaches the target within the budget. The evidence
     * gives the fraction reached at every ratio, so what happens below the threshold is stated in numbers.
     *
     * @param r the measurement
     * @return the claim
     */
    public static Claim thresholdClaim(Result r) {
        StringBuilder ev = new StringBuilder("fraction of (b0, seed) runs reaching the target by m/n: ");
        boolean holds = true;
        int above = 0;
        for (int ratio : r.config().ratios()) {
            List<RunResult> at = r.runs().stream().filter(x -> x.width() == ratio * r.n()).toList();
            long reached = at.stream().filter(RunResult::reachedTarget).count();
            long diverged = at.stream().filter(RunResult::diverged).count();
            if (ratio >= RobustnessClaims.OVERPARAMETERIZED) {
                above++;
                holds &= reached == at.size();
            }
            Set<String> missed = new TreeSet<>();
            at.stream().filter(x -> !x.reachedTarget()).forEach(x -> missed.add(RobustnessClaims.num(x.value())));
            ev.append(String.format(Locale.ROOT, "%d: %d/%d%s%s; ", ratio, reached, at.size(),
                    diverged > 0 ? " (" + diverged + " diverged)" : "",
                    missed.isEmpty() ? "" : " (missed at b0 " + missed + ")"));
        }
        int t = r.transitionRatio();
        ev.append(t < 0 ? "no measured ratio has every run reaching it" : "every run reaches it from m/n = " + t);
        long seeds = r.runs().stream().mapToLong(RunResult::seed).distinct().count();
        ev.append(String.format(Locale.ROOT, " (%d seeds, %d b0 values, n=%d)", seeds, Grids.b0().length, r.n()));
        return new Claim(String.format(Locale.ROOT, "the over-parameterization threshold m >= %d n is "
                + "measured, not assumed: at every measured m/n >= %d, AdaLoss reaches relative loss %s for every b0 "
                + "at every seed; below it the fraction drops (numbers in the evidence)",
                RobustnessClaims.OVERPARAMETERIZED, RobustnessClaims.OVERPARAMETERIZED, RunResult.TARGET),
                holds && above > 0, ev.toString());
    }
}
