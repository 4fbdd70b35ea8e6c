package io.github.adaloss.ntk.kernel;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fast exact NTK path for a {@link MultiLayerNetwork} made of dense layers (Novak et al., arXiv:2206.08720,
 * "structured derivatives"): for a dense layer {@code z = a W + b} with inputs {@code A} (n x in) and
 * back-propagated signals {@code Delta = d f_c / d z} (n x out), the per-example weight gradient is the outer
 * product {@code a_i Delta_i^T}, so the layer contributes {@code (A A^T) o (Delta Delta^T)} (+ {@code Delta
 * Delta^T} for a trainable bias) without ever forming a Jacobian. Cost O(n^2 (in + out)) per layer and output
 * instead of O(n^2 in out). Precision: FLOAT networks in float (products), sums over layers and outputs in
 * double; other types in double (see {@link EmpiricalNtk}); symmetric trace kernels by half-work block products.
 * The network is only read. Supported layers: DenseLayer, OutputLayer, LossLayer, ActivationLayer, and FrozenLayer /
 * FrozenLayerWithBackprop around a DenseLayer; no input preprocessors. As in DL4J training, a FrozenLayer stops
 * back-propagation, so the layers below it contribute nothing. Dropout does not apply (the NTK is that of
 * {@code output()}, i.e. inference mode). RReLU is rejected ({@link ActivationSupport}).
 */
final class DenseNtk {

    private record Step(INDArray w, INDArray b, IActivation activation, boolean trainW, boolean trainB,
                        boolean stopsBackprop) {
    }

    /** Rows per block of the half-work symmetric products. */
    static final int BLOCK = 256;

    private final List<Step> steps = new ArrayList<>();
    private final int outputs;
    private final DataType type;

    private DenseNtk(MultiLayerNetwork net, boolean doublePrecision) {
        this.type = !doublePrecision && net.params().dataType() == DataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
        int k = -1;
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            boolean frozen = TrainableParameters.isFrozen(layer);
            org.deeplearning4j.nn.conf.layers.Layer inner = unwrap(conf);
            if (inner instanceof DenseLayer || inner instanceof OutputLayer) {
                FeedForwardLayer ff = (FeedForwardLayer) inner;
                INDArray w = layer.getParam("W").castTo(type);
                INDArray b = layer.paramTable().containsKey("b") ? layer.getParam("b").castTo(type) : null;
                steps.add(new Step(w, b, ff.getActivationFn(),
                        !frozen && TrainableParameters.isTrainable(layer.getConfig(), "W"),
                        b != null && !frozen && TrainableParameters.isTrainable(layer.getConfig(), "b"),
                        layer instanceof org.deeplearning4j.nn.layers.FrozenLayer));
                k = (int) ff.getNOut();
            } else if (inner instanceof LossLayer loss) {
                steps.add(new Step(null, null, loss.getActivationFn(), false, false, false));
            } else if (inner instanceof ActivationLayer act) {
                steps.add(new Step(null, null, act.getActivationFn(), false, false, false));
            } else {
                throw new IllegalStateException("layer " + i + " (" + inner.getClass().getSimpleName()
                        + ") is not supported by the dense path");
            }
        }
        this.outputs = k;
    }

    /** @return null if the dense path supports {@code net}, else the reason it does not */
    static String unsupportedReason(MultiLayerNetwork net) {
        if (net.getLayerWiseConfigurations().getInputPreProcessors() != null
                && !net.getLayerWiseConfigurations().getInputPreProcessors().isEmpty()) {
            return "the network has input preprocessors";
        }
        boolean sawDense = false;
        for (int i = 0; i < net.getnLayers(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer inner = unwrap(net.getLayer(i).conf().getLayer());
            String activation = ActivationSupport.unsupportedReason(inner);
            if (activation != null) {
                return activation;
            }
            if (inner instanceof DenseLayer || inner instanceof OutputLayer) {
                // the dense path models z = a W (+ b) only: a layer norm gain "g" (DenseLayer.hasLayerNorm) or any
                // other parameter would be silently ignored, so such layers go to the generic path
                for (String key : net.getLayer(i).paramTable().keySet()) {
                    if (!key.equals("W") && !key.equals("b")) {
                        return "layer " + i + " has parameter '" + key + "'"
                                + (inner instanceof DenseLayer d && d.hasLayerNorm() ? " (layer normalization)" : "");
                    }
                }
                sawDense = true;
            } else if (!(inner instanceof LossLayer || inner instanceof ActivationLayer)) {
                return "layer " + i + " is a " + inner.getClass().getSimpleName();
            }
        }
        return sawDense ? null : "the network has no dense layer";
    }

    static org.deeplearning4j.nn.conf.layers.Layer unwrap(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof FrozenLayer f) {
            return f.getLayer();
        }
        if (conf instanceof FrozenLayerWithBackprop f) {
            return f.getUnderlying();
        }
        return conf;
    }

    static DenseNtk of(MultiLayerNetwork net, boolean doublePrecision) {
        return new DenseNtk(net, doublePrecision);
    }

    int outputs() {
        return outputs;
    }

    /** Forward pass in the path's type: the input of each step and its pre-activation. */
    private List<INDArray[]> forward(INDArray x) {
        List<INDArray[]> cache = new ArrayList<>();
        INDArray a = x.castTo(type);
        for (Step s : steps) {
            INDArray z = s.w() == null ? a : a.mmul(s.w());
            if (s.b() != null) {
                z = z.addRowVector(s.b());
            }
            cache.add(new INDArray[] {a, z});
            a = s.activation().getActivation(z.dup(), false);
        }
        return cache;
    }

    /**
     * Per step, per output c: {@code Delta_c = d f_c / d z} (n x out), by vector-Jacobian products.
     *
     * @return deltas[step][c]
     */
    private INDArray[][] deltas(List<INDArray[]> cache, long n, int[] outputsToUse) {
        INDArray[][] d = new INDArray[steps.size()][outputsToUse.length];
        for (int ci = 0; ci < outputsToUse.length; ci++) {
            INDArray eps = Nd4j.zeros(type, n, outputs);
            eps.getColumn(outputsToUse[ci]).assign(1.0);
            for (int l = steps.size() - 1; l >= 0; l--) {
                Step s = steps.get(l);
                if (eps == null) {
                    d[l][ci] = Nd4j.zeros(type, n, cache.get(l)[1].columns());
                    continue;
                }
                INDArray delta = s.activation().backprop(cache.get(l)[1].dup(), eps).getFirst();
                d[l][ci] = delta;
                // DL4J's FrozenLayer passes no gradient to the layers below it, so they are not trained either
                // (no signal is needed below the first layer: skip that n x in product)
                eps = l == 0 || s.stopsBackprop() ? null : s.w() == null ? delta : delta.mmul(s.w().transpose());
            }
        }
        return d;
    }

    /**
     * @param x1           [n1, d]
     * @param x2           [n2, d] (may be {@code x1})
     * @param outputsToUse outputs c to include
     * @param full         true: (n1 k) x (n2 k) kernel indexed {@code i * k + c}; false: the sum over the outputs
     * @return the kernel, DOUBLE
     */
    INDArray kernel(INDArray x1, INDArray x2, int[] outputsToUse, boolean full) {
        boolean same = x1 == x2;
        List<INDArray[]> c1 = forward(x1);
        List<INDArray[]> c2 = same ? c1 : forward(x2);
        long n1 = x1.size(0);
        long n2 = x2.size(0);
        INDArray[][] d1 = deltas(c1, n1, outputsToUse);
        INDArray[][] d2 = same ? d1 : deltas(c2, n2, outputsToUse);
        int k = outputsToUse.length;
        INDArray result = full ? Nd4j.zeros(DataType.DOUBLE, n1 * k, n2 * k) : Nd4j.zeros(DataType.DOUBLE, n1, n2);
        for (int l = 0; l < steps.size(); l++) {
            Step s = steps.get(l);
            if (!s.trainW() && !s.trainB()) {
                continue;
            }
            if (!full) {
                // trace: sum_c (A A^T) o (D_c D_c^T) = (A A^T) o sum_c D_c D_c^T, one Hadamard product per layer;
                // products in the path's type, the sum over layers in double; for a symmetric kernel only the
                // lower block triangle (blocks of BLOCK rows), mirrored at the end
                INDArray aa = s.trainW() ? product(c1.get(l)[0], c2.get(l)[0], same) : null;
                INDArray dd = null;
                for (int ci = 0; ci < k; ci++) {
                    INDArray p = product(d1[l][ci], d2[l][ci], same);
                    dd = dd == null ? p : dd.addi(p);
                }
                if (s.trainW()) {
                    result.addi((s.trainB() ? aa.addi(1.0).muli(dd) : aa.muli(dd)).castTo(DataType.DOUBLE));
                } else {
                    result.addi(dd.castTo(DataType.DOUBLE));
                }
                continue;
            }
            INDArray aa = s.trainW() ? c1.get(l)[0].mmul(c2.get(l)[0].transpose()).castTo(DataType.DOUBLE) : null;
            for (int ci = 0; ci < k; ci++) {
                for (int cj = 0; cj < k; cj++) {
                    INDArray dd = d1[l][ci].mmul(d2[l][cj].transpose()).castTo(DataType.DOUBLE);
                    INDArray block = s.trainW() ? aa.mul(dd) : Nd4j.zeros(DataType.DOUBLE, n1, n2);
                    if (s.trainB()) {
                        block.addi(dd);
                    }
                    addStrided(result, block, ci, cj, k);
                }
            }
        }
        if (same && !full) {
            mirrorLowerBlocks(result);
        }
        return result;
    }

    /**
     * @return {@code p q^T}; when {@code same} ({@code p == q}) only the blocks on and below the block diagonal
     *         (blocks of {@link #BLOCK} rows; the rest is zero): about half the multiply-adds for n &gt;&gt; BLOCK
     */
    private INDArray product(INDArray p, INDArray q, boolean same) {
        long n = p.rows();
        if (!same || n <= BLOCK) {
            return p.mmul(q.transpose());
        }
        INDArray r = Nd4j.zeros(p.dataType(), n, n);
        for (long i0 = 0; i0 < n; i0 += BLOCK) {
            long i1 = Math.min(n, i0 + BLOCK);
            INDArray pi = p.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.all());
            INDArray rows = r.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.interval(0, i1));
            rows.assign(pi.mmul(p.get(NDArrayIndex.interval(0, i1), NDArrayIndex.all()).transpose()));
        }
        return r;
    }

    /** Copies each block below the block diagonal to its mirror position above it. */
    private static void mirrorLowerBlocks(INDArray r) {
        long n = r.rows();
        if (n <= BLOCK) {
            return;
        }
        for (long i0 = BLOCK; i0 < n; i0 += BLOCK) {
            long i1 = Math.min(n, i0 + BLOCK);
            r.get(NDArrayIndex.interval(0, i0), NDArrayIndex.interval(i0, i1))
                    .assign(r.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.interval(0, i0)).transpose());
        }
    }

    /** result[i*k + ci, j*k + cj] += block[i, j], through a strided view (no per-element calls). */
    private static void addStrided(INDArray result, INDArray block, int ci, int cj, int k) {
        result.get(NDArrayIndex.interval(ci, k, result.rows()), NDArrayIndex.interval(cj, k, result.columns()))
                .addi(block);
    }
}
