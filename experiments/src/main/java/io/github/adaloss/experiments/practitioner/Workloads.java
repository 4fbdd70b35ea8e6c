package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.datasets.FashionMnist;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The six configurations of the suite at the short (default run) or full budget. */
public final class Workloads {

    /** Ids in report order. */
    public static final List<String> IDS = List.of("mlp", "lenet", "lstm", "regression", "resnet", "transfer");

    private Workloads() {
    }

    /**
     * @param full       the full budgets (else the short ones)
     * @param fashionDir Fashion-MNIST folder; when its files are missing the four Fashion-MNIST configurations are
     *                   left out
     * @param only       ids to keep (empty: all)
     * @return the configurations, in {@link #IDS} order
     */
    public static List<Workload> create(boolean full, Path fashionDir, List<String> only) {
        boolean fashion = FashionMnist.isAvailable(fashionDir);
        List<Workload> out = new ArrayList<>();
        for (String id : IDS) {
            if (!only.isEmpty() && !only.contains(id)) {
                continue;
            }
            Workload w = switch (id) {
                case "mlp" -> fashion ? new MlpWorkload(fashionDir, full ? new Budget(12800, 2000, 1)
                        : new Budget(3840, 1000, 1)) : null;
                case "lenet" -> fashion ? new LeNetWorkload(fashionDir, full ? new Budget(1920, 1000, 1)
                        : new Budget(640, 500, 1)) : null;
                case "lstm" -> new LstmWorkload(full ? new Budget(450, 150, 2) : new Budget(450, 150, 1));
                case "regression" -> new RegressionWorkload(full ? new Budget(1000, 500, 50)
                        : new Budget(1000, 500, 20));
                case "resnet" -> fashion ? new ResNetWorkload(fashionDir, full ? new Budget(960, 1000, 1)
                        : new Budget(320, 500, 1)) : null;
                case "transfer" -> fashion ? new TransferWorkload(fashionDir, full ? new Budget(3000, 2000, 1)
                        : new Budget(900, 1000, 1)) : null;
                default -> throw new IllegalStateException(id);
            };
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }
}
