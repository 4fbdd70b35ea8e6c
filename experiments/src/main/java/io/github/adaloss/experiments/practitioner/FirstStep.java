package io.github.adaloss.experiments.practitioner;

import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The size of AdaLoss' first update on a configuration, measured at the initial parameters on the first mini-batch:
 * the evidence for or against a "bounded first step" rule (issue 19, item 4; issue 22, item 4).
 *
 * <p>AdaLoss' first step is {@code theta_1 = theta_0 - eta / sqrt(b0^2 + alpha l_0) * g_0} (before regularization
 * terms and clipping, which DL4J applies to {@code g_0} first). A rule that bounds it relative to the parameters (a
 * global trust ratio, as LARS does per layer: You, Gitman and Ginsburg, arXiv 1708.03888) can only serve every
 * configuration if the configurations that overshoot have larger relative first steps than those that train; this
 * class measures {@code ||step g_0|| / ||theta_0||} on the whole network and per weight array (biases start at zero,
 * their ratio is infinite and left out), and the largest single-coordinate move.
 *
 * @param workload      configuration id
 * @param seed          its seed (initialization and the first mini-batch)
 * @param l0            loss of the first mini-batch at the initial parameters (DL4J's score, with regularization)
 * @param gradNorm      Euclidean norm of the mini-batch's mean gradient (what the updater sees), every parameter
 * @param paramNorm     Euclidean norm of the initial parameters
 * @param step          the first step size {@code eta / sqrt(b0^2 + alpha l_0)}
 * @param relative      {@code step * gradNorm / paramNorm}
 * @param maxLayer      the largest {@code step ||g_W|| / ||W||} over weight arrays with nonzero norm
 * @param maxLayerName  the parameter key where it is reached
 * @param maxCoordinate the largest {@code step |g_i|} over every parameter
 */
public record FirstStep(String workload, long seed, double l0, double gradNorm, double paramNorm, double step,
                        double relative, double maxLayer, String maxLayerName, double maxCoordinate) {

    /** CSV header of {@link #csv()}. */
    public static final String HEADER = "workload,seed,l0,grad_norm,param_norm,step,relative_step,max_layer_relative,"
            + "max_layer,max_coordinate_step";

    /**
     * @param workload configuration id
     * @param model    a network at its initial parameters (not trained)
     * @param first    the first mini-batch of the run
     * @param seed     the seed
     * @param eta      AdaLoss' eta
     * @param b0       AdaLoss' b0
     * @param alpha    AdaLoss' alpha
     * @return the first step's size; {@code model}'s parameters are unchanged
     */
    public static FirstStep measure(String workload, Model model, DataSet first, long seed, double eta, double b0,
                                    double alpha) {
        Networks.computeGradientAndScore(model, first);
        double l0 = model.score();
        if (!Double.isFinite(l0) || !(alpha > 0)) {
            throw new IllegalArgumentException("l0 must be finite and alpha > 0, got l0 = " + l0 + ", alpha = " + alpha);
        }
        double step = eta / Math.sqrt(b0 * b0 + alpha * l0);
        // DL4J's gradient is the sum over the mini-batch; its updater divides it by the mini-batch size first
        double perExample = 1.0 / first.numExamples();
        double g = perExample * model.gradient().gradient().norm2Number().doubleValue();
        double p = model.params().norm2Number().doubleValue();
        double maxLayer = 0;
        double maxCoordinate = 0;
        String name = "";
        for (Map.Entry<String, INDArray> e : model.paramTable().entrySet()) {
            INDArray gw = model.gradient().getGradientFor(e.getKey());
            if (gw == null) {
                continue; // frozen
            }
            maxCoordinate = Math.max(maxCoordinate, step * perExample * gw.amaxNumber().doubleValue());
            double w = e.getValue().norm2Number().doubleValue();
            if (w > 0) {
                double r = step * perExample * gw.norm2Number().doubleValue() / w;
                if (r > maxLayer) {
                    maxLayer = r;
                    name = e.getKey();
                }
            }
        }
        return new FirstStep(workload, seed, l0, g, p, step, step * g / p, maxLayer, name, maxCoordinate);
    }

    /** @return one CSV line in {@link #HEADER}'s order */
    public String csv() {
        return String.format(Locale.ROOT, "%s,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s,%.6g", workload, seed, l0, gradNorm,
                paramNorm, step, relative, maxLayer, maxLayerName, maxCoordinate);
    }
}
