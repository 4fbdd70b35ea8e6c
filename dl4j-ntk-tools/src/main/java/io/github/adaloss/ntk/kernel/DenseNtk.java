package io.github.adaloss.ntk.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationCube;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationMish;
import org.nd4j.linalg.activations.impl.ActivationRationalTanh;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationRectifiedTanh;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;
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
 * The network is only read. Supported layers: DenseLayer, OutputLayer, CenterLossOutputLayer ({@link #affine}), LossLayer, ActivationLayer,
 * BatchNormalization (in inference mode, with its running statistics, as {@code output()} applies it: see
 * {@link BatchNormInference}; gamma and beta are parameters, the running statistics are not), and FrozenLayer /
 * FrozenLayerWithBackprop around a DenseLayer or BatchNormalization; no input preprocessors. As in DL4J training, a FrozenLayer stops
 * back-propagation, so the layers below it contribute nothing. Dropout does not apply (the NTK is that of
 * {@code output()}, i.e. inference mode). RReLU is rejected ({@link ActivationSupport}).
 */
final class DenseNtk {

    /**
     * One layer: {@code z = a W + b} then the activation, or for a BatchNormalization ({@code bn} not null) its
     * inference-mode affine map, with trainW / trainB meaning gamma / beta.
     */
    private record Step(INDArray w, INDArray b, IActivation activation, boolean trainW, boolean trainB,
                        boolean stopsBackprop, BatchNormInference bn) {
    }

    /** Activations applied entry by entry: their signal is {@code eps o phi'(z)}. */
    static final Set<Class<? extends IActivation>> ELEMENTWISE = Set.of(ActivationReLU.class,
            ActivationReLU6.class, ActivationLReLU.class, ActivationELU.class, ActivationSELU.class,
            ActivationTanH.class, ActivationHardTanH.class, ActivationSigmoid.class, ActivationHardSigmoid.class,
            ActivationSoftPlus.class, ActivationSoftSign.class, ActivationSwish.class, ActivationGELU.class,
            ActivationMish.class, ActivationCube.class, ActivationRationalTanh.class, ActivationRectifiedTanh.class,
            ActivationThresholdedReLU.class);

    /** Largest number of rows per block of the half-work symmetric products. */
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
            if (affine(inner)) {
                FeedForwardLayer ff = (FeedForwardLayer) inner;
                INDArray w = layer.getParam("W").castTo(type);
                INDArray b = layer.paramTable().containsKey("b") ? layer.getParam("b").castTo(type) : null;
                steps.add(new Step(w, b, ff.getActivationFn(),
                        !frozen && TrainableParameters.isTrainable(layer.getConfig(), "W"),
                        b != null && !frozen && TrainableParameters.isTrainable(layer.getConfig(), "b"),
                        layer instanceof org.deeplearning4j.nn.layers.FrozenLayer, null));
                k = (int) ff.getNOut();
            } else if (inner instanceof BatchNormalization) {
                BatchNormInference bn = BatchNormInference.of(layer, type);
                boolean train = !frozen && bn.hasGammaBeta();
                steps.add(new Step(null, null, new ActivationIdentity(),
                        train && TrainableParameters.isTrainable(layer.getConfig(), "gamma"),
                        train && TrainableParameters.isTrainable(layer.getConfig(), "beta"),
                        layer instanceof org.deeplearning4j.nn.layers.FrozenLayer, bn));
            } else if (inner instanceof LossLayer loss) {
                steps.add(new Step(null, null, loss.getActivationFn(), false, false, false, null));
            } else if (inner instanceof ActivationLayer act) {
                steps.add(new Step(null, null, act.getActivationFn(), false, false, false, null));
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
            if (affine(inner)) {
                // the dense path models z = a W (+ b) only: a layer norm gain "g" (DenseLayer.hasLayerNorm) or any
                // other parameter would be silently ignored, so such layers go to the generic path
                for (String key : net.getLayer(i).paramTable().keySet()) {
                    if (!modelledParameter(inner, key)) {
                        return "layer " + i + " has parameter '" + key + "'"
                                + (inner instanceof DenseLayer d && d.hasLayerNorm() ? " (layer normalization)" : "");
                    }
                }
                sawDense = true;
            } else if (inner != null && inner.getClass() == BatchNormalization.class) {
                String bn = BatchNormInference.unsupportedReason((BatchNormalization) inner);
                if (bn != null) {
                    return bn;
                }
            } else if (!(inner instanceof LossLayer || inner instanceof ActivationLayer)) {
                return "layer " + i + " is a " + inner.getClass().getSimpleName();
            }
        }
        return sawDense ? null : "the network has no dense layer";
    }

    /**
     * @param inner a layer configuration (unwrapped)
     * @return whether the paths model it as {@code z = a W (+ b)} followed by its activation: DenseLayer, OutputLayer,
     *         and CenterLossOutputLayer (exactly that class), whose {@code output()} is that of an OutputLayer: its
     *         center term enters only the training loss, and its centers {@code cL} do not enter {@code output()}, so
     *         they add nothing to the kernel (the generic path gives them a zero contribution too)
     */
    static boolean affine(org.deeplearning4j.nn.conf.layers.Layer inner) {
        return inner instanceof DenseLayer || inner instanceof OutputLayer
                || inner != null && inner.getClass() == CenterLossOutputLayer.class;
    }

    /**
     * @param inner a layer the paths model ({@link #affine}, or a convolution)
     * @param key   one of its parameter keys
     * @return whether the path accounts for that parameter: W and b, and a CenterLossOutputLayer's centers (no
     *         contribution, see {@link #affine})
     */
    static boolean modelledParameter(org.deeplearning4j.nn.conf.layers.Layer inner, String key) {
        return key.equals("W") || key.equals("b")
                || inner.getClass() == CenterLossOutputLayer.class && key.equals(CENTERS);
    }

    /** The parameter key of a CenterLossOutputLayer's centers (DL4J's CenterLossParamInitializer.CENTER_KEY). */
    static final String CENTERS = org.deeplearning4j.nn.params.CenterLossParamInitializer.CENTER_KEY;

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
        if (a.isView() || a.ordering() != 'c') {
            a = a.dup('c');
        }
        for (Step s : steps) {
            INDArray z;
            if (s.bn() != null) {
                // DL4J's BatchNormalization ignores its activation (identity here); cache[2] = xhat
                cache.add(new INDArray[] {a, s.bn().forward(a), s.bn().normalize(a)});
                a = cache.get(cache.size() - 1)[1];
                continue;
            }
            if (s.w() == null) {
                z = s.b() == null ? a : a.addRowVector(s.b());
            } else {
                z = Nd4j.createUninitialized(type, new long[] {a.rows(), s.w().columns()}, 'c');
                Nd4j.gemm(a, s.w(), z, false, false, 1.0, 0.0);
                if (s.b() != null) {
                    z.addiRowVector(s.b());
                }
            }
            cache.add(new INDArray[] {a, z});
            a = s.activation().getActivation(z.dup(), false);
        }
        return cache;
    }

    /**
     * Per step, the signals of all requested outputs stacked example by example: row {@code i k + c} holds
     * {@code d f_c(x_i) / d z} for the c-th requested output, so the array viewed as [n, k out] has one row per
     * example. One (n k)-row GEMM per layer back-propagates every output at once.
     *
     * @return deltas[step], [n k, out_step], C order
     */
    private INDArray[] deltas(List<INDArray[]> cache, long n, int[] outputsToUse) {
        int k = outputsToUse.length;
        INDArray[] d = new INDArray[steps.size()];
        INDArray eps = Nd4j.zeros(type, k * n, outputs);
        for (int ci = 0; ci < k; ci++) {
            // through a [n, k, out] view: ND4J rejects a strided interval that selects a single row (n = 1)
            eps.reshape('c', n, k, outputs).get(NDArrayIndex.all(), NDArrayIndex.point(ci),
                    NDArrayIndex.point(outputsToUse[ci])).assign(1.0);
        }
        for (int l = steps.size() - 1; l >= 0; l--) {
            Step s = steps.get(l);
            INDArray z = cache.get(l)[1];
            if (eps == null) {
                d[l] = Nd4j.zeros(type, k * n, z.columns());
                continue;
            }
            d[l] = signal(s.activation(), z, eps, k);
            // DL4J's FrozenLayer passes no gradient to the layers below it, so they are not trained either
            // (no signal is needed below the first layer: skip that (k n) x in product)
            eps = l == 0 || s.stopsBackprop() ? null : s.bn() != null ? s.bn().inputSignal(d[l])
                    : s.w() == null ? d[l].dup('c') : timesTransposed(d[l], s.w());
        }
        return d;
    }

    /** @return {@code d w^T} in a new C-order array (BLAS gemm straight into it) */
    private static INDArray timesTransposed(INDArray d, INDArray w) {
        INDArray out = Nd4j.createUninitialized(d.dataType(), new long[] {d.rows(), w.rows()}, 'c');
        Nd4j.gemm(d, w, out, false, true, 1.0, 0.0);
        return out;
    }

    /**
     * @param z   pre-activations [n, m]
     * @param eps {@code d f_c / d a} for the k outputs, [n k, m] (overwritten for elementwise activations)
     * @return {@code d f_c / d z}, [n k, m], C order: an elementwise activation multiplies the k rows of example i
     *         by {@code phi'(z_i)}, computed once; any other one (softmax) back-propagates through z with each row
     *         repeated k times
     */
    static INDArray signal(IActivation activation, INDArray z, INDArray eps, int k) {
        long n = z.rows();
        long m = z.columns();
        INDArray e = eps.ordering() == 'c' ? eps : eps.dup('c');
        if (activation instanceof ActivationIdentity) {
            return e;
        }
        if (ELEMENTWISE.contains(activation.getClass())) {
            INDArray derivative = activation.backprop(z.dup(), Nd4j.ones(z.dataType(), n, m)).getFirst();
            e.reshape('c', n, k, m).muli(derivative.reshape('c', n, 1, m));
            return e;
        }
        // one broadcast pass (k strided assignments cost k op calls: 360 for a 6-class output over 60 steps)
        INDArray repeated = ConvNtk.repeatRows(z, k);
        INDArray delta = activation.backprop(repeated, e).getFirst();
        return delta.ordering() == 'c' ? delta : delta.dup('c');
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
        Factors f1 = factors(x1, outputsToUse);
        return block(f1, same ? f1 : factors(x2, outputsToUse), full);
    }

    /**
     * What the kernel of a batch needs, from one forward and one batched backward pass: per step, its input and
     * pre-activation (and BatchNormalization's normalized input) and the signals of the k outputs.
     */
    record Factors(List<INDArray[]> cache, INDArray[] deltas, long n, int k) {
        /** Frees the off-heap buffers now (never the first input, which may be the caller's array). */
        void release() {
            java.util.Set<org.nd4j.linalg.api.buffer.DataBuffer> freed =
                    java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            if (!cache.isEmpty()) {
                freed.add(cache.get(0)[0].data());
            }
            for (INDArray[] step : cache) {
                for (INDArray a : step) {
                    free(a, freed);
                }
            }
            for (INDArray d : deltas) {
                free(d, freed);
            }
        }

        private static void free(INDArray a, java.util.Set<org.nd4j.linalg.api.buffer.DataBuffer> freed) {
            if (a != null && freed.add(a.data()) && a.data().closeable() && !a.data().wasClosed()) {
                a.data().close();
            }
        }
    }

    /** @return the factors of the batch {@code x} for the given outputs */
    Factors factors(INDArray x, int[] outputsToUse) {
        List<INDArray[]> cache = forward(x);
        return new Factors(cache, deltas(cache, x.size(0), outputsToUse), x.size(0), outputsToUse.length);
    }

    /**
     * Working memory per example in bytes of the path's type while the factors of a batch are held (per step the
     * input, pre-activation, activation and k-row signals, BatchNormalization's normalized input) plus the largest
     * transient of the backward pass (the k-row signal below a layer and its copy).
     */
    long bytesPerExample(INDArray x, int k) {
        List<INDArray[]> cache = forward(x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()));
        long kept = 0;
        long transient_ = 0;
        for (INDArray[] step : cache) {
            long in = step[0].length();
            long out = step[1].length();
            kept += in + 2 * out + (long) k * out + (step.length > 2 ? out : 0);
            transient_ = Math.max(transient_, 2L * k * (in + out));
        }
        return (kept + transient_) * (type == DataType.FLOAT ? 4 : 8);
    }

    /**
     * @param f1   factors of the first batch
     * @param f2   factors of the second batch ({@code f1} itself for a symmetric block: half-work products)
     * @param full the (n1 k) x (n2 k) kernel instead of the trace
     * @return the kernel block, DOUBLE
     */
    INDArray block(Factors f1, Factors f2, boolean full) {
        boolean same = f1 == f2;
        List<INDArray[]> c1 = f1.cache();
        List<INDArray[]> c2 = f2.cache();
        long n1 = f1.n();
        long n2 = f2.n();
        INDArray[] d1 = f1.deltas();
        INDArray[] d2 = f2.deltas();
        int k = f1.k();
        INDArray result = full ? Nd4j.zeros(DataType.DOUBLE, n1 * k, n2 * k) : Nd4j.zeros(DataType.DOUBLE, n1, n2);
        for (int l = 0; l < steps.size(); l++) {
            Step s = steps.get(l);
            if (!s.trainW() && !s.trainB()) {
                continue;
            }
            if (s.bn() != null) {
                result.addi(batchNormTerm(s, c1.get(l)[2], c2.get(l)[2], d1[l], d2[l], k, same, full));
                continue;
            }
            INDArray aa = s.trainW() ? product(c1.get(l)[0], c2.get(l)[0], same && !full) : null;
            if (!full) {
                // trace: sum_c (A A^T) o (D_c D_c^T) = (A A^T) o (D' D'^T) with D' = D viewed as [n, k out] (row i
                // holds the signals of every output of example i): one product per layer; products in the path's
                // type, the sum over layers in double; for a symmetric kernel only the lower block triangle,
                // mirrored at the end
                long width = k * d1[l].columns();
                INDArray dd = product(d1[l].reshape('c', n1, width), d2[l].reshape('c', n2, width), same);
                result.addi((s.trainW() ? (s.trainB() ? aa.addi(1.0) : aa).muli(dd) : dd).castTo(DataType.DOUBLE));
                continue;
            }
            // full: result[i k + c, j k + c'] += (A A^T + 1)[i, j] (D D^T)[i k + c, j k + c'], one product
            INDArray dd = d1[l].mmul(d2[l].transpose()).castTo(DataType.DOUBLE);
            if (aa != null) {
                dd = scaleOutputBlocks(dd, aa.castTo(DataType.DOUBLE).addi(s.trainB() ? 1.0 : 0.0), k);
            }
            result.addi(dd);
        }
        if (same && !full) {
            mirrorLowerBlocks(result);
        }
        return result;
    }

    /**
     * @param dd [n1 k, n2 k], rows {@code i k + c}, columns {@code j k + c'}
     * @param a  [n1, n2]
     * @return {@code dd[i k + c, j k + c'] * a[i, j]} for all output pairs, C order (through a [n1, k, n2, k] view:
     *         ND4J rejects strided intervals that select a single row)
     */
    static INDArray scaleOutputBlocks(INDArray dd, INDArray a, int k) {
        INDArray c = dd.ordering() == 'c' && !dd.isView() ? dd : dd.dup('c');
        INDArray four = c.reshape('c', a.rows(), k, a.columns(), k);
        INDArray b = a.dataType() == c.dataType() ? a : a.castTo(c.dataType());
        for (int ci = 0; ci < k; ci++) {
            for (int cj = 0; cj < k; cj++) {
                four.get(NDArrayIndex.all(), NDArrayIndex.point(ci), NDArrayIndex.all(), NDArrayIndex.point(cj))
                        .muli(b);
            }
        }
        return c;
    }

    /**
     * A BatchNormalization's contribution: gamma's per-example gradient for output c is {@code Delta_c o xhat}, beta's
     * is {@code Delta_c} (see {@link BatchNormInference}), so gamma adds {@code E E^T} with {@code E} the signals
     * scaled by the normalized input, and beta {@code Delta Delta^T}.
     *
     * @return the (n1 k) x (n2 k) or n1 x n2 term, DOUBLE (for a symmetric trace kernel: lower blocks only)
     */
    private INDArray batchNormTerm(Step s, INDArray xhat1, INDArray xhat2, INDArray d1, INDArray d2, int k,
                                   boolean same, boolean full) {
        long n1 = xhat1.rows();
        long n2 = xhat2.rows();
        long m = xhat1.columns();
        INDArray term = null;
        if (s.trainW()) {
            INDArray e1 = scaled(d1, xhat1, k);
            INDArray e2 = same ? e1 : scaled(d2, xhat2, k);
            term = full ? e1.mmul(e2.transpose())
                    : product(e1.reshape('c', n1, k * m), e2.reshape('c', n2, k * m), same);
        }
        if (s.trainB()) {
            INDArray dd = full ? d1.mmul(d2.transpose())
                    : product(d1.reshape('c', n1, k * m), d2.reshape('c', n2, k * m), same);
            term = term == null ? dd : term.addi(dd);
        }
        return term.castTo(DataType.DOUBLE);
    }

    /** @return rows {@code i k + c} of {@code d} times {@code xhat_i}, a new C-order array */
    private static INDArray scaled(INDArray d, INDArray xhat, int k) {
        long n = xhat.rows();
        long m = xhat.columns();
        INDArray e = d.dup('c');
        e.reshape('c', n, k, m).muli(xhat.reshape('c', n, 1, m));
        return e;
    }

    /**
     * Rows per block of the half-work symmetric products: a quarter of n (a multiple of 8), at most {@link #BLOCK};
     * n itself (one full product) below 128 rows.
     */
    static long blockRows(long n) {
        if (n < 128) {
            return n;
        }
        return Math.min(BLOCK, ((n + 3) / 4 + 7) / 8 * 8);
    }

    /**
     * @return {@code p q^T}; when {@code same} ({@code p == q}) only the blocks on and below the block diagonal
     *         (blocks of {@link #blockRows} rows; the rest is zero): 5/8 of the multiply-adds with 4 blocks, about
     *         half for n &gt;&gt; BLOCK
     */
    static INDArray product(INDArray p, INDArray q, boolean same) {
        long n = p.rows();
        long block = blockRows(n);
        if (!same || n <= block) {
            return p.mmul(q.transpose());
        }
        INDArray r = Nd4j.zeros(p.dataType(), n, n);
        for (long i0 = 0; i0 < n; i0 += block) {
            long i1 = Math.min(n, i0 + block);
            INDArray pi = p.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.all());
            INDArray rows = r.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.interval(0, i1));
            rows.assign(pi.mmul(p.get(NDArrayIndex.interval(0, i1), NDArrayIndex.all()).transpose()));
        }
        return r;
    }

    /**
     * Copies each block below the block diagonal to its mirror position above it, and makes the diagonal blocks
     * exactly symmetric ({@code (B + B^T) / 2}: a blocked GEMM may sum {@code K_ij} and {@code K_ji} in different
     * orders).
     */
    static void mirrorLowerBlocks(INDArray r) {
        long n = r.rows();
        long block = blockRows(n);
        for (long i0 = 0; i0 < n; i0 += block) {
            long i1 = Math.min(n, i0 + block);
            INDArray diagonal = r.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.interval(i0, i1));
            diagonal.assign(diagonal.add(diagonal.transpose()).muli(0.5));
            if (i0 > 0) {
                r.get(NDArrayIndex.interval(0, i0), NDArrayIndex.interval(i0, i1))
                        .assign(r.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.interval(0, i0)).transpose());
            }
        }
    }
}
