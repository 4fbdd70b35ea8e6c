package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.ntk.network.SphereData;
import io.github.adaloss.ntk.network.TwoLayerNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The papers' regression problem: n inputs uniform on the unit sphere of R^d, labels N(0, 1), the two-layer ReLU
 * network of width m with objective {@code L = 1/2 sum_i (f(x_i) - y_i)^2}, full batch. Every network of one width
 * starts from the same weights (same seed), whatever its optimizer.
 */
public final class SyntheticProblem {

    private final Options options;
    private final DataSet data;

    /** @param options sizes and seed */
    public SyntheticProblem(Options options) {
        this.options = options;
        this.data = SphereData.generate(options.n(), options.d(), SphereData.Labels.GAUSSIAN, options.seed());
    }

    /** @return the full batch */
    public DataSet data() {
        return data;
    }

    /**
     * @param width   m
     * @param updater the optimizer
     * @return a freshly initialized network
     */
    public MultiLayerNetwork network(int width, IUpdater updater) {
        return TwoLayerNetwork.builder().inputSize(options.d()).width(width).sampleCount(options.n())
                .seed(options.seed()).updater(updater).build().network();
    }
}
