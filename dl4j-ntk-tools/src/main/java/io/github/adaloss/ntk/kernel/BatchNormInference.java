package io.github.adaloss.ntk.kernel;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * BatchNormalization as DL4J's {@code output()} applies it (inference mode): with the running mean {@code mu} and
 * variance {@code v} of each channel c (stored as {@code var}, or as {@code log10stdev} with {@code v = (10^s)^2}),
 * {@code y = gamma_c (x - mu_c) / sqrt(v_c + eps) + beta_c}, an affine map per channel. The NTK of the network as it
 * predicts therefore sees, per example i and channel c (sums over the spatial positions p of a 4-d input):
 * <ul>
 *   <li>{@code d y / d gamma_c = sum_p delta_i(p, c) xhat_i(p, c)} with {@code xhat = (x - mu) / sqrt(v + eps)};</li>
 *   <li>{@code d y / d beta_c = sum_p delta_i(p, c)};</li>
 *   <li>the signal below: {@code delta_i(p, c) gamma_c / sqrt(v_c + eps)} (a diagonal Jacobian);</li>
 * </ul>
 * the running statistics are not parameters (NoOp updater in DL4J) and get no gradient. This is what
 * {@code torch.func} differentiates for a module in eval mode. DL4J's layer ignores its configured activation
 * (its {@code activate} returns the affine map), and so does this class. Inputs: [n, C] or [n, C, H, W] / [n, H, W,
 * C] as the layer's {@code cnn2DFormat} says. Locked gamma/beta ({@code lockGammaBeta}) are supported only at their
 * defaults 1 and 0: DL4J 1.0.0-M2.1 applies other locked values only when both differ from 1 and 0 on its built-in
 * path, but always on its MKL-DNN path, so {@code output()} itself is ambiguous.
 */
final class BatchNormInference {

    /** Running statistics and affine parameters of one layer, [C] each; gamma and beta null when locked. */
    private final INDArray mean;
    private final INDArray std;
    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray scale;
    private final CNN2DFormat format;

    private BatchNormInference(INDArray mean, INDArray std, INDArray gamma, INDArray beta, CNN2DFormat format) {
        this.mean = mean;
        this.std = std;
        this.gamma = gamma;
        this.beta = beta;
        this.scale = gamma == null ? Transforms.pow(std, -1.0, true) : gamma.div(std);
        this.format = format;
    }

    /**
     * @param conf a BatchNormalization configuration
     * @return null if the NTK can serve it, else the reason
     */
    static String unsupportedReason(BatchNormalization conf) {
        if (conf.isLockGammaBeta() && (conf.getGamma() != 1.0 || conf.getBeta() != 0.0)) {
            return "BatchNormalization '" + conf.getLayerName() + "' has locked gamma=" + conf.getGamma() + ", beta="
                    + conf.getBeta() + ", which DL4J 1.0.0-M2.1 applies inconsistently in inference (its built-in "
                    + "path applies them only when both differ from 1 and 0); only the locked defaults 1, 0 are "
                    + "supported";
        }
        return null;
    }

    /**
     * @param impl a BatchNormalization layer implementation, or a FrozenLayer / FrozenLayerWithBackprop around one
     *             (its current parameters)
     * @param type the data type to compute in
     * @return its inference-mode affine map
     */
    static BatchNormInference of(Layer impl, DataType type) {
        BatchNormalization conf = (BatchNormalization) DenseNtk.unwrap(impl.conf().getLayer());
        String reason = unsupportedReason(conf);
        if (reason != null) {
            throw new UnsupportedOperationException("EmpiricalNtk: " + reason);
        }
        INDArray mean = flat(impl.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN), type);
        INDArray var;
        if (conf.isUseLogStd()) {
            INDArray log10s = flat(impl.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD), type);
            INDArray s = Transforms.pow(Nd4j.valueArrayOf(log10s.shape(), 10.0, type), log10s, false);
            var = s.muli(s);
        } else {
            var = flat(impl.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR), type);
        }
        INDArray std = Transforms.sqrt(var.add(conf.getEps()), false);
        INDArray gamma = conf.isLockGammaBeta() ? null
                : flat(impl.getParam(BatchNormalizationParamInitializer.GAMMA), type);
        INDArray beta = conf.isLockGammaBeta() ? null
                : flat(impl.getParam(BatchNormalizationParamInitializer.BETA), type);
        return new BatchNormInference(mean, std, gamma, beta, conf.getCnn2DFormat());
    }

    private static INDArray flat(INDArray p, DataType type) {
        return p.reshape(p.length()).castTo(type).dup();
    }

    /** @return whether gamma and beta are parameters (not locked) */
    boolean hasGammaBeta() {
        return gamma != null;
    }

    /**
     * @param rank rank of the layer's input
     * @return the channel axis: 1 for [n, C] and NCHW, 3 for NHWC
     */
    int channelAxis(int rank) {
        if (rank == 2) {
            return 1;
        }
        if (rank == 4) {
            return format == CNN2DFormat.NCHW ? 1 : 3;
        }
        throw new UnsupportedOperationException("EmpiricalNtk: BatchNormalization on an input of rank " + rank
                + " is not supported (only [n, C] and 4-d convolutional activations)");
    }

    /** @return {@code xhat = (x - mu) / sqrt(v + eps)}, a new array */
    INDArray normalize(INDArray x) {
        int axis = channelAxis(x.rank());
        INDArray out = x.dup('c');
        Nd4j.getExecutioner().exec(new BroadcastAddOp(out, mean.neg(), out, axis));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(out, Transforms.pow(std, -1.0, true), out, axis));
        return out;
    }

    /** @return the layer's inference output {@code gamma xhat + beta}, a new array */
    INDArray forward(INDArray x) {
        INDArray out = normalize(x);
        if (gamma != null) {
            int axis = channelAxis(x.rank());
            Nd4j.getExecutioner().exec(new BroadcastMulOp(out, gamma, out, axis));
            Nd4j.getExecutioner().exec(new BroadcastAddOp(out, beta, out, axis));
        }
        return out;
    }

    /** @return the signal below the layer, {@code delta gamma / sqrt(v + eps)} per channel, a new array */
    INDArray inputSignal(INDArray delta) {
        INDArray out = delta.dup('c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(out, scale.castTo(out.dataType()), out, channelAxis(out.rank())));
        return out;
    }

    /**
     * @param delta signal at the output, [n, ...] like the input
     * @param xhat  the normalized input (as {@link #normalize})
     * @return per-example gamma gradients, [n, C]: {@code sum_p delta(p, c) xhat(p, c)}
     */
    INDArray gammaGradients(INDArray delta, INDArray xhat) {
        return perExampleChannelSums(delta.mul(xhat.castTo(delta.dataType())));
    }

    /** @return per-example beta gradients, [n, C]: {@code sum_p delta(p, c)} */
    INDArray betaGradients(INDArray delta) {
        return perExampleChannelSums(delta);
    }

    private INDArray perExampleChannelSums(INDArray a) {
        if (a.rank() == 2) {
            return a.dup('c');
        }
        int axis = channelAxis(a.rank());
        return axis == 1 ? a.sum(2, 3) : a.sum(1, 2);
    }
}
