package io.github.adaloss.experiments.saddle;

import java.util.HashMap;
import java.util.Map;

/**
 * The saddle experiment and its controls at a reduced size (3 seeds, 300 iterations; the default run uses 5 and
 * 400), computed once per base seed and shared by the test classes of this package. The seeds are not the default
 * run's 42: the claims must hold where nothing was tuned.
 */
final class SaddleRuns {

    /** Base seeds the tests assert the claims at. */
    static final long[] SEEDS = {7, 2024};

    private static final Map<Long, SaddleEscapeExperiment.Result> MAIN = new HashMap<>();
    private static final Map<Long, SaddleNoiseControl.Result> CONTROL = new HashMap<>();

    private SaddleRuns() {
    }

    static SaddleEscapeExperiment.Config config(long seed) {
        SaddleEscapeExperiment.Config d = SaddleEscapeExperiment.Config.defaults(seed);
        return new SaddleEscapeExperiment.Config(d.n(), d.d(), d.h(), d.inputSpread(), d.initScale(), d.batch(),
                300, 1, 3, d.threshold(), seed);
    }

    static synchronized SaddleEscapeExperiment.Result main(long seed) {
        return MAIN.computeIfAbsent(seed, s -> SaddleEscapeExperiment.run(config(s), null));
    }

    static synchronized SaddleNoiseControl.Result control(long seed) {
        SaddleEscapeExperiment.Result m = main(seed);
        return CONTROL.computeIfAbsent(seed, s -> SaddleNoiseControl.run(m, null));
    }
}
