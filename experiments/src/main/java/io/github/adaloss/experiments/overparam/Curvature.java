package io.github.adaloss.experiments.overparam;

import java.util.Random;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The largest eigenvalue of the Gauss-Newton curvature {@code G = (2 / (n k)) J^T J} of a network's full-batch MSE
 * loss (DL4J's {@code LossMSE}, mean over the k outputs and the n examples, identity output), J being the Jacobian
 * of the n x k outputs with respect to the parameters. For a quadratic loss in the outputs, G is the part of the
 * Hessian that gradient descent's stability depends on near a fit (and the whole Hessian for a linear model), and
 * gradient descent is stable for steps below {@code 2 / lambda_max(G)}.
 *
 * <p>Power iteration on {@code G v}, each product exact up to rounding: {@code J v} is a central difference of the
 * outputs (piecewise linear in the parameters for ReLU networks: no spike at a kink, unlike differences of
 * gradients), and {@code (2 / (n k)) J^T u} is DL4J's gradient of the MSE loss with the labels set to
 * {@code f(p) - u}. DL4J's {@code computeGradientAndScore} returns the gradient of the loss summed over the batch and
 * its updater divides by the batch size ({@code miniBatch(true)}, the default), so the product is divided by n when
 * the network is so configured: the curvature is that of the step DL4J really takes.
 */
public final class Curvature {

    private Curvature() {
    }

    /**
     * @param net        an initialized network whose output layer is an {@link OutputLayer} with MSE loss and
     *                   identity activation (double precision); its parameters are restored on return
     * @param data       the full batch
     * @param iterations power iterations (30 is plenty for the top eigenvalue here)
     * @param seed       seed of the starting vector
     * @return the Rayleigh quotient {@code v^T G v} of the last iterate (unit v)
     * @throws IllegalArgumentException if iterations &lt; 1 or the output layer is not identity + MSE
     */
    public static double lambdaMax(MultiLayerNetwork net, DataSet data, int iterations, long seed) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        Layer out = net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer();
        if (!(out instanceof OutputLayer o) || !(o.getLossFn() instanceof LossMSE)
                || !(o.getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException("output layer must be an OutputLayer with MSE loss and identity "
                    + "activation, got " + out);
        }
        INDArray p0 = net.params().dup();
        Random rnd = new Random(seed);
        double[] start = new double[(int) p0.length()];
        for (int i = 0; i < start.length; i++) {
            start[i] = rnd.nextGaussian();
        }
        INDArray v = Nd4j.createFromArray(start).castTo(DataType.DOUBLE).reshape(p0.shape());
        v.divi(v.norm2Number());
        double eps = 1e-6 * Math.max(1, p0.norm2Number().doubleValue());
        double scale = net.getLayerWiseConfigurations().getConf(0).isMiniBatch() ? data.numExamples() : 1;
        double lambda = Double.NaN;
        try {
            for (int k = 0; k < iterations; k++) {
                net.setParams(p0.add(v.mul(eps)));
                INDArray plus = net.output(data.getFeatures()).dup();
                net.setParams(p0.sub(v.mul(eps)));
                INDArray jv = plus.subi(net.output(data.getFeatures())).divi(2 * eps);
                net.setParams(p0);
                INDArray f = net.output(data.getFeatures());
                net.setInput(data.getFeatures());
                net.setLabels(f.sub(jv));
                net.computeGradientAndScore();
                INDArray gv = net.gradient().gradient().dup().reshape(p0.shape()).divi(scale);
                net.clear();
                lambda = v.mul(gv).sumNumber().doubleValue();
                double norm = gv.norm2Number().doubleValue();
                if (norm == 0 || !Double.isFinite(norm)) {
                    break;
                }
                v = gv.divi(norm);
            }
        } finally {
            net.setParams(p0);
        }
        return lambda;
    }
}
