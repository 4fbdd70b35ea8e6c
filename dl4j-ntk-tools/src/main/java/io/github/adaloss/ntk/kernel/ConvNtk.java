package io.github.adaloss.ntk.kernel;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The structured exact NTK path for convolutional {@link MultiLayerNetwork}s (the convolutional analogue of
 * {@link DenseNtk}; Novak et al., arXiv:2206.08720): per-layer Gram contributions from the layer inputs and the
 * back-propagated signals {@code Delta = d f_c / d z} of a whole batch, instead of one backward pass per example and
 * output.
 *
 * <ul>
 *   <li>Dense and output layers ({@code z = a W + b}): {@code (A A^T) o (Delta Delta^T) (+ Delta Delta^T)}, as in
 *       {@link DenseNtk}.</li>
 *   <li>Convolution layers: the per-example weight gradient is {@code G_i = sum_p patch_i(p)^T delta_i(p)} (patches
 *       from im2col, D = C_in kh kw rows; delta C_out columns), so
 *       {@code K_ij = sum_{p,q} <patch_i(p), patch_j(q)> <delta_i(p), delta_j(q)> = <G_i, G_j>}. The path forms
 *       G (n x D C_out, one batched GEMM) and takes {@code G G^T} (+ {@code B B^T}, {@code B_i = sum_p delta_i(p)}
 *       for the bias): for LeNet's layers (D C_out = 500 x 50 against P^2 = 64^2 position pairs) this contraction is
 *       cheaper than the position-pair form, and both are exact.</li>
 *   <li>The signal passes below a convolution as {@code col2im(W^T Delta_i)}, the adjoint of the forward pass's
 *       im2col and GEMM with the same geometry (checked against finite differences and the generic path, including
 *       strides whose windows leave rows unused, padding, dilation and Same mode).</li>
 *   <li>Subsampling and activation layers and the CnnToFeedForward / FeedForwardToCnn preprocessors have no
 *       parameters; the signal is back-propagated through them by DL4J's own layer implementations
 *       ({@code backpropGradient}) on a private DOUBLE copy of the network (loss removed, dropout off), so pooling
 *       and padding behave exactly as in DL4J.</li>
 *   <li>BatchNormalization (NCHW or after a dense layer) in inference mode, as {@code output()} applies it: the
 *       per-channel affine map with the running statistics ({@link BatchNormInference}); gamma contributes
 *       {@code Gamma Gamma^T} with {@code Gamma_i[c] = sum_p delta_i(p, c) xhat_i(p, c)}, beta {@code B B^T}, and
 *       the signal below is {@code delta gamma / sqrt(v + eps)}; the running statistics are not parameters.</li>
 * </ul>
 * Everything is computed in double from the network's current parameters; the user's network is only read. Each
 * convolution's pre-activation is recomputed from im2col and checked against DL4J's own forward output (an
 * {@link IllegalStateException} if they differ), so a configuration this path misreads fails loudly instead of
 * returning a wrong kernel. Supported: ConvolutionLayer (exactly that class, NCHW, any kernel, stride, padding,
 * dilation, Truncate/Strict/Same mode), SubsamplingLayer (NCHW), BatchNormalization (NCHW), DenseLayer, ActivationLayer, OutputLayer or
 * LossLayer last, the two preprocessors above, FrozenLayerWithBackprop around any of these (its parameters do not
 * count; FrozenLayer, which stops back-propagation, is not supported); no other parameters. Memory: the batch's
 * im2col patches of every convolution (n P D doubles) and, per output, G (n D C_out doubles); the full kernel keeps
 * G for every output at once.
 */
final class ConvNtk {

    private final MultiLayerNetwork original;
    private final MultiLayerNetwork copy;
    private final int outputs;
    private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

    /** Forward quantities of one layer for a batch. */
    private record Cache(INDArray input, INDArray z, INDArray patches, int positions, ConvGeometry geometry) {
    }

    /**
     * How a convolution's im2col was taken: kernel, stride, dilation, the padding im2col applied, and for DL4J's
     * Same mode the explicit zero border (top-left offsets and padded size) the forward pass added first.
     */
    private record ConvGeometry(int[] kernel, int[] stride, int[] dilation, int ph, int pw, int top, int left,
                                long paddedH, long paddedW, long oh, long ow) {
    }

    /** One trainable layer's factors for one output: kernel = sum of products of these (see class doc). */
    private record Terms(INDArray a, INDArray delta, INDArray g, INDArray bias) {
    }

    ConvNtk(MultiLayerNetwork net) {
        this.original = net;
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        conf.setDataType(DataType.DOUBLE);
        for (NeuralNetConfiguration c : conf.getConfs()) {
            c.getLayer().setIDropout(null);
            if (c.getLayer() instanceof BaseLayer bl) {
                bl.setWeightNoise(null);
            }
        }
        this.copy = new MultiLayerNetwork(conf);
        copy.init(net.params().castTo(DataType.DOUBLE), true);
        copy.initGradientsView();
        org.deeplearning4j.nn.conf.layers.Layer last = conf.getConf(conf.getConfs().size() - 1).getLayer();
        long k = -1;
        for (int i = conf.getConfs().size() - 1; i >= 0 && k < 0; i--) {
            if (conf.getConf(i).getLayer() instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff
                    && !(ff instanceof LossLayer)) {
                k = ff.getNOut();
            }
        }
        if (!(last instanceof OutputLayer || last instanceof LossLayer) || k < 1) {
            throw new IllegalStateException("structured path: the network must end in an OutputLayer or LossLayer");
        }
        this.outputs = (int) k;
    }

    /** @return null if the structured path supports {@code net}, else the reason it does not */
    static String unsupportedReason(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int n = net.getnLayers();
        boolean sawConv = false;
        for (int i = 0; i < n; i++) {
            org.deeplearning4j.nn.conf.layers.Layer l = conf.getConf(i).getLayer();
            if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop f) {
                l = f.getUnderlying();
            }
            Class<?> c = l.getClass();
            String activation = ActivationSupport.unsupportedReason(l);
            if (activation != null) {
                return activation;
            }
            InputPreProcessor pp = conf.getInputPreProcess(i);
            if (pp != null && !(pp.getClass() == CnnToFeedForwardPreProcessor.class
                    || pp.getClass() == FeedForwardToCnnPreProcessor.class)) {
                return "layer " + i + " has preprocessor " + pp.getClass().getSimpleName();
            }
            if (pp instanceof CnnToFeedForwardPreProcessor p && p.getFormat() != CNN2DFormat.NCHW) {
                return "layer " + i + " has a preprocessor for a format other than NCHW";
            }
            if (c == ConvolutionLayer.class) {
                ConvolutionLayer cl = (ConvolutionLayer) l;
                if (cl.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    return "layer " + i + " is a convolution in format " + cl.getCnn2dDataFormat();
                }
                if (cl.getConvolutionMode() == ConvolutionMode.Causal) {
                    return "layer " + i + " is a causal convolution";
                }
                sawConv = true;
            } else if (c == SubsamplingLayer.class) {
                if (((SubsamplingLayer) l).getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                    return "layer " + i + " is a subsampling layer in format other than NCHW";
                }
                sawConv = true;
            } else if (c == BatchNormalization.class) {
                String bn = BatchNormInference.unsupportedReason((BatchNormalization) l);
                if (bn != null) {
                    return bn;
                }
                if (((BatchNormalization) l).getCnn2DFormat() != CNN2DFormat.NCHW) {
                    return "layer " + i + " is a BatchNormalization in format other than NCHW";
                }
                continue;
            } else if (c == LossLayer.class || c == OutputLayer.class) {
                if (i != n - 1) {
                    return "layer " + i + " (" + c.getSimpleName() + ") is not the last layer";
                }
            } else if (!(c == DenseLayer.class || c == ActivationLayer.class)) {
                return "layer " + i + " is a " + c.getSimpleName();
            }
            for (String key : net.getLayer(i).paramTable().keySet()) {
                if (!key.equals("W") && !key.equals("b")) {
                    return "layer " + i + " has parameter '" + key + "'";
                }
            }
        }
        Class<?> last = conf.getConf(n - 1).getLayer().getClass();
        if (last != OutputLayer.class && last != LossLayer.class) {
            return "the last layer is not an OutputLayer or LossLayer";
        }
        return sawConv ? null : "the network has no convolution or subsampling layer";
    }

    int outputs() {
        return outputs;
    }

    /**
     * @return the kernel as {@link DenseNtk#kernel}: (n1 k) x (n2 k) indexed {@code i * k + c}, or the sum over the
     *         outputs
     */
    INDArray kernel(INDArray x1, INDArray x2, int[] outputsToUse, boolean full) {
        boolean same = x1 == x2;
        copy.setParams(original.params().castTo(DataType.DOUBLE));
        long n1 = x1.size(0);
        long n2 = x2.size(0);
        int k = outputsToUse.length;
        List<Cache> c1 = forward(x1);
        List<Cache> c2 = same ? c1 : forward(x2);
        INDArray result = full ? Nd4j.zeros(DataType.DOUBLE, n1 * k, n2 * k) : Nd4j.zeros(DataType.DOUBLE, n1, n2);
        List<List<Terms>> t1 = new ArrayList<>();
        List<List<Terms>> t2 = new ArrayList<>();
        for (int ci = 0; ci < k; ci++) {
            List<Terms> a = backward(c1, n1, outputsToUse[ci]);
            List<Terms> b = same ? a : backward(c2, n2, outputsToUse[ci]);
            if (!full) {
                result.addi(block(a, b, n1, n2));
                continue;
            }
            t1.add(a);
            t2.add(b);
        }
        if (full) {
            for (int ci = 0; ci < k; ci++) {
                for (int cj = 0; cj < k; cj++) {
                    result.get(NDArrayIndex.interval(ci, k, result.rows()),
                            NDArrayIndex.interval(cj, k, result.columns())).addi(block(t1.get(ci), t2.get(cj), n1, n2));
                }
            }
        }
        return result;
    }

    /** Sum over trainable layers of one (output ci, output cj) block. */
    private static INDArray block(List<Terms> a, List<Terms> b, long n1, long n2) {
        INDArray k = Nd4j.zeros(DataType.DOUBLE, n1, n2);
        for (int l = 0; l < a.size(); l++) {
            Terms p = a.get(l);
            Terms q = b.get(l);
            if (p == null) {
                continue;
            }
            if (p.g() != null) {
                k.addi(p.g().mmul(q.g().transpose()));
            }
            if (p.a() != null) {
                k.addi(p.a().mmul(q.a().transpose()).muli(p.delta().mmul(q.delta().transpose())));
            }
            if (p.bias() != null) {
                k.addi(p.bias().mmul(q.bias().transpose()));
            }
        }
        return k;
    }

    private List<Cache> forward(INDArray x) {
        MultiLayerConfiguration conf = copy.getLayerWiseConfigurations();
        int n = (int) x.size(0);
        INDArray a = x.castTo(DataType.DOUBLE);
        List<Cache> cache = new ArrayList<>();
        for (int l = 0; l < copy.getnLayers(); l++) {
            InputPreProcessor pp = conf.getInputPreProcess(l);
            if (pp != null) {
                a = pp.preProcess(a, n, mgr).dup();
            }
            Layer impl = copy.getLayer(l);
            org.deeplearning4j.nn.conf.layers.Layer lc = impl.conf().getLayer();
            // DL4J layers may modify their input in place in inference (ActivationLayer does): hand them a copy
            impl.setInput(a.dup(), mgr);
            INDArray out = impl.activate(false, mgr).dup();
            INDArray z = null;
            INDArray patches = null;
            int positions = 0;
            ConvGeometry geometry = null;
            if (lc instanceof ConvolutionLayer cl) {
                INDArray w = impl.getParam("W");
                long cOut = w.size(0);
                long d = w.size(1) * w.size(2) * w.size(3);
                long oh = out.size(2);
                long ow = out.size(3);
                positions = (int) (oh * ow);
                int[] kernel = cl.getKernelSize();
                int[] stride = cl.getStride();
                int[] pad = cl.getPadding();
                int[] dil = cl.getDilation();
                INDArray padded = a;
                int ph = pad[0];
                int pw = pad[1];
                int top = 0;
                int left = 0;
                if (cl.getConvolutionMode() == ConvolutionMode.Same) {
                    // DL4J's Same mode: top-left padding from ConvolutionUtils, the rest at the bottom-right; pad
                    // explicitly (im2col's own same mode places the padding differently for odd kernels)
                    int[] outSize = {(int) oh, (int) ow};
                    int[] inSize = {(int) a.size(2), (int) a.size(3)};
                    int[] tl = ConvolutionUtils.getSameModeTopLeftPadding(outSize, inSize, kernel, stride, dil);
                    int[] br = ConvolutionUtils.getSameModeBottomRightPadding(outSize, inSize, kernel, stride, dil);
                    padded = Nd4j.zeros(DataType.DOUBLE, n, a.size(1), inSize[0] + tl[0] + br[0],
                            inSize[1] + tl[1] + br[1]);
                    padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(tl[0], tl[0] + inSize[0]),
                            NDArrayIndex.interval(tl[1], tl[1] + inSize[1])).assign(a);
                    ph = 0;
                    pw = 0;
                    top = tl[0];
                    left = tl[1];
                }
                geometry = new ConvGeometry(kernel, stride, dil, ph, pw, top, left, padded.size(2), padded.size(3), oh,
                        ow);
                INDArray col = Nd4j.create(DataType.DOUBLE, new long[] {n, a.size(1), kernel[0], kernel[1], oh, ow},
                        'c');
                Convolution.im2col(padded, kernel[0], kernel[1], stride[0], stride[1], ph, pw, dil[0], dil[1], false,
                        col);
                patches = col.permute(0, 4, 5, 1, 2, 3).dup('c').reshape('c', (long) n * positions, d);
                INDArray z2 = patches.mmul(w.dup('c').reshape('c', cOut, d).transpose());
                if (impl.paramTable().containsKey("b")) {
                    z2.addiRowVector(impl.getParam("b"));
                }
                z = z2.reshape('c', n, oh, ow, cOut).permute(0, 3, 1, 2).dup('c');
                check(cl.getActivationFn(), z, out, l);
            } else if (DenseNtk.unwrap(lc) instanceof BatchNormalization) {
                // DL4J's BatchNormalization ignores its activation: its output is the affine map itself
                z = BatchNormInference.of(impl, DataType.DOUBLE).forward(a);
                check(new ActivationIdentity(), z, out, l);
            } else if (lc instanceof DenseLayer || lc instanceof OutputLayer) {
                z = a.mmul(impl.getParam("W"));
                if (impl.paramTable().containsKey("b")) {
                    z.addiRowVector(impl.getParam("b"));
                }
            } else if (lc instanceof LossLayer || lc instanceof ActivationLayer) {
                z = a;
            }
            cache.add(new Cache(a, z, patches, positions, geometry));
            a = out;
        }
        return cache;
    }

    /** The recomputed pre-activation must give DL4J's own forward output. */
    private static void check(IActivation act, INDArray z, INDArray out, int layer) {
        INDArray mine = act.getActivation(z.dup(), false);
        double scale = Math.max(1e-12, out.amaxNumber().doubleValue());
        double diff = mine.sub(out).amaxNumber().doubleValue();
        if (!(diff <= 1e-9 * scale)) {
            throw new IllegalStateException("structured NTK path: convolution layer " + layer + " recomputed from "
                    + "im2col differs from DL4J's output by " + diff + " (scale " + scale + "); use Method.GENERIC");
        }
    }

    /** Back-propagates {@code d f_c / d output} through the copy; per layer, the trainable factors (or null). */
    private List<Terms> backward(List<Cache> cache, long n, int c) {
        MultiLayerConfiguration conf = copy.getLayerWiseConfigurations();
        int layers = copy.getnLayers();
        Terms[] terms = new Terms[layers];
        INDArray eps = Nd4j.zeros(DataType.DOUBLE, n, outputs);
        eps.getColumn(c).assign(1.0);
        for (int l = layers - 1; l >= 0; l--) {
            Layer impl = copy.getLayer(l);
            org.deeplearning4j.nn.conf.layers.Layer lc = DenseNtk.unwrap(impl.conf().getLayer());
            Cache ch = cache.get(l);
            boolean frozen = TrainableParameters.isFrozen(impl);
            boolean trainW = !frozen && impl.paramTable().containsKey("W")
                    && TrainableParameters.isTrainable(impl.getConfig(), "W");
            boolean trainB = !frozen && impl.paramTable().containsKey("b")
                    && TrainableParameters.isTrainable(impl.getConfig(), "b");
            if (lc instanceof DenseLayer || lc instanceof OutputLayer) {
                INDArray delta = ((BaseLayer) lc).getActivationFn().backprop(ch.z().dup(), eps).getFirst();
                terms[l] = new Terms(trainW ? ch.input() : null, trainW ? delta : null, null, trainB ? delta : null);
                eps = l == 0 ? null : delta.mmul(impl.getParam("W").transpose());
            } else if (lc instanceof LossLayer loss) {
                eps = loss.getActivationFn().backprop(ch.z().dup(), eps).getFirst();
            } else if (lc instanceof BatchNormalization) {
                BatchNormInference bn = BatchNormInference.of(impl, DataType.DOUBLE);
                boolean train = !frozen && bn.hasGammaBeta();
                boolean trainGamma = train && TrainableParameters.isTrainable(impl.getConfig(), "gamma");
                boolean trainBeta = train && TrainableParameters.isTrainable(impl.getConfig(), "beta");
                terms[l] = new Terms(null, null, trainGamma ? bn.gammaGradients(eps, bn.normalize(ch.input())) : null,
                        trainBeta ? bn.betaGradients(eps) : null);
                eps = l == 0 ? null : bn.inputSignal(eps);
            } else if (lc instanceof ConvolutionLayer cl) {
                INDArray delta = cl.getActivationFn().backprop(ch.z().dup(), eps).getFirst();
                long cOut = delta.size(1);
                INDArray d3 = delta.permute(0, 2, 3, 1).dup('c').reshape('c', n, ch.positions(), cOut);
                INDArray g = null;
                if (trainW) {
                    INDArray p3 = ch.patches().reshape('c', n, ch.positions(), ch.patches().size(1));
                    g = Nd4j.matmul(p3, d3, true, false, false).reshape('c', n, p3.size(2) * cOut);
                }
                terms[l] = new Terms(null, null, g, trainB ? d3.sum(1) : null);
                eps = l == 0 ? null : convInputGradient(impl.getParam("W"), ch, delta);
            } else if (l > 0) {
                // SubsamplingLayer, ActivationLayer: no parameters
                eps = dl4jBackprop(impl, ch.input(), eps);
            }
            if (eps == null || l == 0) {
                break;
            }
            InputPreProcessor pp = conf.getInputPreProcess(l);
            if (pp != null) {
                eps = pp.backprop(eps, (int) n, mgr).dup();
            }
        }
        List<Terms> list = new ArrayList<>();
        for (Terms t : terms) {
            list.add(t);
        }
        return list;
    }

    /**
     * Signal with respect to a convolution's input: {@code col2im(W^T Delta_i)}, the adjoint of the forward pass's
     * {@code im2col} and GEMM, with the same geometry (for Same mode on the explicitly padded input, then cropped).
     * One (D x C_out) x (C_out x P) product per example, written in im2col's layout, and one col2im; DL4J's
     * {@code backpropGradient} also forms the weight gradient and permutes its result, and was measured several
     * times slower here (LeNet's second convolution, n = 64, double).
     *
     * @param w  the layer's weights [C_out, C_in, kh, kw]
     * @param ch the layer's forward cache
     * @param delta {@code d f_c / d z} as [n, C_out, oh, ow]
     * @return [n, C_in, H, W], the shape of the layer's input
     */
    private static INDArray convInputGradient(INDArray w, Cache ch, INDArray delta) {
        ConvGeometry g = ch.geometry();
        long n = delta.size(0);
        long cOut = w.size(0);
        long cIn = w.size(1);
        int kh = g.kernel()[0];
        int kw = g.kernel()[1];
        long positions = ch.positions();
        // per example, in im2col's own layout [C_in kh kw, P]: W^T (D x C_out) times delta_i (C_out x P), so no
        // permutation of the (n D P)-entry result is needed
        INDArray wt = w.dup('c').reshape('c', cOut, cIn * kh * kw).transpose().dup('c');
        INDArray d = delta.dup('c').reshape('c', n, cOut, positions);
        INDArray col = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, cIn * kh * kw, positions}, 'c');
        for (long i = 0; i < n; i++) {
            col.slice(i).assign(wt.mmul(d.slice(i)));
        }
        col = col.reshape('c', n, cIn, kh, kw, g.oh(), g.ow());
        INDArray padded = Nd4j.zeros(DataType.DOUBLE, n, cIn, g.paddedH(), g.paddedW());
        // ND4J's col2im takes the image height and width where its parameter names say kH, kW (as DL4J's own
        // ConvolutionLayer calls it)
        Convolution.col2im(col, padded, g.stride()[0], g.stride()[1], g.ph(), g.pw(), (int) g.paddedH(),
                (int) g.paddedW(), g.dilation()[0], g.dilation()[1]);
        INDArray input = ch.input();
        if (padded.size(2) == input.size(2) && padded.size(3) == input.size(3)) {
            return padded;
        }
        return padded.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(g.top(), g.top() + input.size(2)),
                NDArrayIndex.interval(g.left(), g.left() + input.size(3))).dup('c');
    }

    /** Signal with respect to the layer's input, by DL4J's own implementation of the layer. */
    private INDArray dl4jBackprop(Layer impl, INDArray input, INDArray eps) {
        impl.setInput(input.dup(), mgr);
        return impl.backpropGradient(eps, mgr).getSecond().dup();
    }
}
