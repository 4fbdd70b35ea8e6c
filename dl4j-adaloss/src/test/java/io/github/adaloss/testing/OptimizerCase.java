package io.github.adaloss.testing;

import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdamLoss;
import io.github.adaloss.updater.HeavyBall;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One optimizer of the library with non-default hyperparameters and its plain-Java reference. Tests iterate over
 * {@link #all()}, so a new optimizer added here gets every generic check (reference equality, state round trip,
 * JSON and Java serialization, dtype, convergence, checkpoint resume) for free.
 *
 * @param name      display name
 * @param config    a fresh configuration
 * @param reference a fresh reference optimizer with the same hyperparameters
 */
public record OptimizerCase(String name, Supplier<IUpdater> config, Supplier<ReferenceOptimizer> reference) {

    /** @return every optimizer of the library */
    public static List<OptimizerCase> all() {
        return List.of(
                new OptimizerCase("AdaLoss",
                        () -> AdaLoss.builder().learningRate(0.3).b0(0.7).alpha(0.5).offset(0.05).build(),
                        () -> ReferenceOptimizer.adaLoss(0.3, 0.7, 0.5, 0.05)),
                new OptimizerCase("AdaGradNorm",
                        () -> new AdaGradNorm(0.3, 0.7),
                        () -> ReferenceOptimizer.adaGradNorm(0.3, 0.7)),
                new OptimizerCase("AdamLoss",
                        () -> AdamLoss.builder().learningRate(0.05).b0(0.7).alpha(0.5).offset(0.05).beta1(0.8)
                                .beta2(0.95).epsilon(1e-6).build(),
                        () -> ReferenceOptimizer.adamLoss(0.05, 0.7, 0.5, 0.05, 0.8, 0.95, 1e-6)),
                new OptimizerCase("HeavyBall",
                        () -> new HeavyBall(0.05, 0.8),
                        () -> ReferenceOptimizer.heavyBall(0.05, 0.8)));
    }

    @Override
    public String toString() {
        return name;
    }
}
