package io.github.adaloss.ntk.kernel;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationRReLU;

/**
 * Activations the NTK cannot be computed for. The only one in ND4J is {@link ActivationRReLU}: in training it draws
 * a random slope in [l, u] for every negative input from ND4J's global RNG (so per-example back-propagation would
 * give a random kernel and change the training network's random stream), and in inference DL4J 1.0.0-M2.1
 * computes {@code max(x, (l + u) / 2)} instead of a leaky ReLU (measured: RReLU(0.1, 0.3) maps -1 to 0.2), so
 * {@code output()} has no kernel that describes training. Both NTK paths reject it with this explanation.
 */
final class ActivationSupport {

    private ActivationSupport() {
    }

    /**
     * @param layer a layer configuration (wrappers already unwrapped)
     * @return null if its activation is supported, else the reason it is not
     */
    static String unsupportedReason(Layer layer) {
        IActivation a = layer instanceof BaseLayer b ? b.getActivationFn()
                : layer instanceof ActivationLayer al ? al.getActivationFn() : null;
        if (a instanceof ActivationRReLU) {
            return "layer '" + layer.getLayerName() + "' uses RReLU, which has no deterministic NTK: random slopes "
                    + "from ND4J's global RNG in training, and max(x, (l + u) / 2) in DL4J's inference output";
        }
        return null;
    }
}
