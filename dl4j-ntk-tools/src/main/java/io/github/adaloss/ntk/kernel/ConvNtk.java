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
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
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
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The structured exact NTK path for convolutional {@link MultiLayerNetwork}s (the convolutional analogue of
 * {@link DenseNtk}; Novak et al., arXiv:2206.08720): per-layer Gram contributions from the layer inputs and the
 * back-propagated signals {@code Delta = d f_c / d z} of a whole batch, instead of one backward pass per example and
 * output.
 *
 * <p>All k requested outputs are back-propagated together: the signal is one batch of {@code n k} rows, row
 * {@code i k + c} holding {@code d f_c(x_i) / d (layer output)}, so every layer runs one batched backward (one GEMM
 * for a dense layer, one GEMM and one col2im for a convolution, one DL4J {@code backpropGradient} on the input
 * repeated k times for pooling and activation layers) instead of k. An elementwise activation's derivative is
 * computed once on the n examples and broadcast over the k outputs.
 *
 * <ul>
 *   <li>Dense and output layers ({@code z = a W + b}): {@code (A A^T) o (Delta Delta^T) (+ Delta Delta^T)}, as in
 *       {@link DenseNtk}; the trace over outputs is one product of {@code Delta} viewed as [n, k out].</li>
 *   <li>Convolution layers: the per-example weight gradient of output c is {@code G_ic = delta_ic patches_i}
 *       (delta [C_out, P], patches [P, D] from im2col, D = C_in kh kw), so
 *       {@code K_ij = sum_c <G_ic, G_jc> = sum_c sum_{p,q} <patch_i(p), patch_j(q)> <delta_ic(p), delta_jc(q)>}.
 *       Two exact forms, chosen per layer by multiply-add count ({@link #gradientFormCost},
 *       {@link #patchFormCost}): <b>per-example weight gradients</b> (one batched GEMM forms G as [n, k C_out D],
 *       then one [n, n] product: {@code n P D k C_out + n^2 k C_out D}) or <b>signal-patch products</b> (the
 *       [nP, nP] patch Gram times the signal Gram, summed over position pairs: {@code n^2 P^2 (D + k C_out)}),
 *       cheaper only when P is small (e.g. a convolution producing a 1x1 or 2x2 map). The bias adds
 *       {@code B B^T}, {@code B_ic = sum_p delta_ic(p)}.</li>
 *   <li>The signal passes below a convolution as {@code col2im(W^T Delta)}, the adjoint of the forward pass's
 *       im2col and GEMM with the same geometry: one (D x C_out) x (C_out x n k P) GEMM for all examples and
 *       outputs, one col2im (checked against finite differences and the generic path, including strides whose
 *       windows leave rows unused, padding, dilation and Same mode).</li>
 *   <li>Subsampling and activation layers and the CnnToFeedForward / FeedForwardToCnn preprocessors have no
 *       parameters; the signal is back-propagated through them by DL4J's own layer implementations
 *       ({@code backpropGradient}) on a private copy of the network in the path's type (loss removed, dropout
 *       off), so pooling and padding behave exactly as in DL4J.</li>
 *   <li>BatchNormalization (NCHW or after a dense layer) in inference mode, as {@code output()} applies it: the
 *       per-channel affine map with the running statistics ({@link BatchNormInference}); gamma contributes
 *       {@code Gamma Gamma^T} with {@code Gamma_ic[ch] = sum_p delta_ic(p, ch) xhat_i(p, ch)}, beta {@code B B^T}, and
 *       the signal below is {@code delta gamma / sqrt(v + eps)}; the running statistics are not parameters.</li>
 * </ul>
 *
 * <p>Precision: the network's. A FLOAT network is computed in float (forward pass, signals, per-example
 * gradients and the n x n products, all float GEMMs); only the sum over layers is accumulated in double. Any other
 * type, or {@code doublePrecision}, computes everything in double. Symmetric trace kernels use the half-work
 * lower-block products of {@link DenseNtk#product}. The user's network is only read. Each convolution's
 * pre-activation is recomputed from im2col and checked against DL4J's own forward output (an
 * {@link IllegalStateException} if they differ beyond 1e-9 (double) or 1e-4 (float) of its largest entry), so a
 * configuration this path misreads fails loudly instead of returning a wrong kernel.
 *
 * <p>Memory: bounded by {@code memoryBudgetBytes}. The path estimates its working memory per example
 * ({@link #bytesPerExample}: the forward cache, the k-row signals and repeated inputs, the im2col patches and
 * {@code W^T Delta} columns, the per-example gradients) from the network's shapes; when the whole probe does not fit
 * next to the result, a trace kernel is first summed over chunks of outputs (the working memory grows with the
 * number of signal rows {@code n k}, and the chunks cost only one forward pass each, no recomputed backward pass);
 * if not even one output fits, or for the full kernel, it works on tiles of examples (two tiles at a time, the
 * second recomputed for every tile pair, so time grows with the number of tiles), and throws an {@link IllegalStateException} naming the budget when not
 * even one example fits. The off-heap garbage of DL4J's and ND4J's temporaries is reclaimed by a garbage collection
 * between the backward passes and the products (when the estimate exceeds 256 MB) and after every tile pair: the
 * Java heap hardly grows, so the collector would otherwise run late and the process's resident memory exceed the
 * budget several times (measured on LeNet, docs/benchmarks-ntk.md). Supported: ConvolutionLayer (exactly that class, NCHW, any kernel, stride, padding,
 * dilation, Truncate/Strict/Same mode), SubsamplingLayer (NCHW), BatchNormalization (NCHW), DenseLayer,
 * ActivationLayer, the parameter-free layers of {@link #PARAMETER_FREE}, OutputLayer, CenterLossOutputLayer (its
 * output(), see {@link DenseNtk#affine}), LossLayer, CnnLossLayer or Yolo2OutputLayer ({@link YoloOutput}) last, the
 * two preprocessors above, FrozenLayerWithBackprop around any of
 * these (its parameters do not count; FrozenLayer, which stops back-propagation, is not supported); no other
 * parameters. The same per-layer forward and backward passes ({@link #layerForward}, {@link #layerBackward}) serve
 * ComputationGraphs of these layers, walked by {@link GraphWalk}. Recurrent MultiLayerNetworks (LSTM, GravesLSTM, SimpleRnn,
 * RnnOutputLayer last, nothing else) take the same two forms with the time steps as positions, see
 * {@link RecurrentLayers}; their k outputs are nOut x T per sequence ({@link #outputs(INDArray)}).
 */
final class ConvNtk {

    private static final Logger log = LoggerFactory.getLogger(ConvNtk.class);

    /** How a convolution layer's contribution is computed (see the class documentation). */
    enum Form {
        /** The cheaper of the two by multiply-add count, per layer. */
        AUTO,
        /** Per-example weight gradients, then one product. */
        GRADIENTS,
        /** Signal-patch products over position pairs. */
        PATCHES
    }

    /**
     * Largest size in bytes of the {@code W^T Delta} columns formed at once below a convolution: 16 MB, below
     * glibc's largest mmap threshold (32 MB), so that the freed chunks are reused without fresh page faults (first
     * touches of new memory cost about 1 ms per MB on the measurement machine, more than the GEMM).
     */
    private static final long COLUMN_BYTES = 1L << 24;

    /** Estimated working memory above which a garbage collection runs between the backward passes and the products. */
    private static final long GC_ABOVE_BYTES = 256L << 20;

    /** Largest number of entries of one [rows P, cols P] position-pair product of the patch form. */
    private static final long PATCH_PRODUCT_ENTRIES = 1L << 24;

    private final org.deeplearning4j.nn.api.Model original;
    /** The private copy of a MultiLayerNetwork (null for a ComputationGraph). */
    private final MultiLayerNetwork copy;
    /** The private copy of a ComputationGraph and its walk (null for a MultiLayerNetwork). */
    private final GraphWalk graph;
    private final DataType type;
    private final int outputs;
    /** Whether the network is recurrent (its k outputs are nOut x T, per time step). */
    private final boolean recurrent;
    /**
     * Whether the network ends in a CnnLossLayer or a Yolo2OutputLayer (its k outputs are the C x H x W entries of its
     * output).
     */
    private final boolean pixelOutputs;
    private final long memoryBudgetBytes;
    private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    private Form form = Form.AUTO;
    private long columnBytes = COLUMN_BYTES;
    /** Per layer, the form used by the last kernel call (null for non-convolution layers). */
    private Form[] forms;
    /** Per convolution layer, its output height and width (from DL4J's forward pass). */
    private final long[][] convOut;
    /** Examples per tile in the last kernel call. */
    private long lastTile;
    /** Outputs per chunk in the last kernel call. */
    private int lastOutputChunk;
    /**
     * Per recurrent layer, its form for the whole probe as one tile, chosen when the working memory is estimated
     * ({@link #bytesPerExample}) and kept when the probe is tiled, so that the estimate holds.
     */
    private Form[] recurrentForms;

    /** Forward quantities of one layer for a batch. */
    record Cache(INDArray input, INDArray z, INDArray patches, int positions, ConvGeometry geometry,
                 long outLength, INDArray output, INDArray[] inputs, RecurrentLayers.State state) {
        Cache(INDArray input, INDArray z, INDArray patches, int positions, ConvGeometry geometry, INDArray output) {
            this(input, z, patches, positions, geometry, output.length(), output, null, null);
        }

        Cache(INDArray input, INDArray z, INDArray patches, int positions, ConvGeometry geometry, long outLength,
              INDArray output, INDArray[] inputs) {
            this(input, z, patches, positions, geometry, outLength, output, inputs, null);
        }
    }

    /**
     * How a convolution's im2col was taken: kernel, stride, dilation, the padding im2col applied, and for DL4J's
     * Same mode the explicit zero border (top-left offsets and padded size) the forward pass added first.
     */
    private record ConvGeometry(int[] kernel, int[] stride, int[] dilation, int ph, int pw, int top, int left,
                                long paddedH, long paddedW, long oh, long ow) {
    }

    /**
     * One trainable layer's factors for a tile of t examples and all k outputs (rows {@code i k + c}): dense
     * {@code a} [t, in] and {@code delta} [t k, out]; convolution gradient form {@code g} [t k, C_out D]; patch form
     * {@code patches} [t P, D] and {@code signals} [t, P, k, C_out]; {@code bias} (and BatchNormalization's gamma
     * terms in {@code g}) [t k, C].
     */
    record Terms(INDArray a, INDArray delta, INDArray g, INDArray bias, INDArray patches, INDArray signals,
                         int positions) {
    }

    /**
     * @param net               the network (only read)
     * @param doublePrecision   compute in double even for a FLOAT network
     * @param memoryBudgetBytes working memory the path may use
     */
    ConvNtk(MultiLayerNetwork net, boolean doublePrecision, long memoryBudgetBytes) {
        this.original = net;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.type = !doublePrecision && net.params().dataType() == DataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        conf.setDataType(type);
        for (NeuralNetConfiguration c : conf.getConfs()) {
            c.getLayer().setIDropout(null);
            if (c.getLayer() instanceof BaseLayer bl) {
                bl.setWeightNoise(null);
            }
        }
        this.graph = null;
        this.copy = new MultiLayerNetwork(conf);
        copy.init(net.params().castTo(type), true);
        copy.initGradientsView();
        org.deeplearning4j.nn.conf.layers.Layer last = conf.getConf(conf.getConfs().size() - 1).getLayer();
        long k = -1;
        for (int i = conf.getConfs().size() - 1; i >= 0 && k < 0; i--) {
            if (conf.getConf(i).getLayer() instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff
                    && !(ff instanceof LossLayer) && !(ff instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer)) {
                k = ff.getNOut();
            }
        }
        this.recurrent = last instanceof org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
        this.pixelOutputs = last instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer || last instanceof Yolo2OutputLayer;
        if (!(last instanceof OutputLayer || DenseNtk.affine(DenseNtk.unwrap(last)) || last instanceof LossLayer
                || recurrent || pixelOutputs)
                || k < 1 && !pixelOutputs) {
            throw new IllegalStateException("structured path: the network must end in an OutputLayer, LossLayer or "
                    + "RnnOutputLayer");
        }
        // the kernel is that of output(): the whole sequence's gradient, whatever the training's truncation
        conf.setBackpropType(org.deeplearning4j.nn.conf.BackpropType.Standard);
        this.outputs = (int) k;
        this.convOut = new long[conf.getConfs().size()][];
    }

    /**
     * The structured path of a ComputationGraph ({@link GraphWalk}: layer vertices as in a MultiLayerNetwork, the
     * signals summed where a vertex feeds several).
     *
     * @param net               the graph (only read; {@link GraphWalk#unsupportedReason} must be null)
     * @param doublePrecision   compute in double even for a FLOAT network
     * @param memoryBudgetBytes working memory the path may use
     */
    ConvNtk(org.deeplearning4j.nn.graph.ComputationGraph net, boolean doublePrecision, long memoryBudgetBytes) {
        this.original = net;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.type = !doublePrecision && net.params().dataType() == DataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
        this.copy = null;
        this.graph = new GraphWalk(this, net, type);
        this.outputs = graph.outputs();
        this.recurrent = false;
        this.pixelOutputs = graph.pixelOutputs();
        this.convOut = new long[graph.vertices()][];
    }

    /**
     * @return the structured path of {@code net}, a MultiLayerNetwork or ComputationGraph the path supports
     */
    static ConvNtk of(org.deeplearning4j.nn.api.Model net, boolean doublePrecision, long memoryBudgetBytes) {
        return net instanceof MultiLayerNetwork mln ? new ConvNtk(mln, doublePrecision, memoryBudgetBytes)
                : new ConvNtk((org.deeplearning4j.nn.graph.ComputationGraph) net, doublePrecision, memoryBudgetBytes);
    }

    /** Copies the current parameters of the user's network into the private copy. */
    private void syncParams() {
        if (graph != null) {
            graph.setParams(original.params().castTo(type));
        } else {
            copy.setParams(original.params().castTo(type));
        }
    }

    /** Forces one form for every convolution and recurrent layer (tests and benchmarks). @return this */
    ConvNtk withForm(Form value) {
        this.form = value;
        return this;
    }

    /** Sets the chunk size of the signals below convolutions and pooling layers (tests). @return this */
    ConvNtk withColumnBytes(long bytes) {
        this.columnBytes = bytes;
        return this;
    }

    /** @return per layer, the form of the last kernel call (null entries for other layers) */
    Form[] lastForms() {
        return forms == null ? null : forms.clone();
    }

    /** @return examples per tile in the last kernel call */
    long lastTile() {
        return lastTile;
    }

    /** @return outputs per chunk in the last kernel call (k when the outputs were not split) */
    int lastOutputChunk() {
        return lastOutputChunk;
    }

    private long elementBytes() {
        return type == DataType.FLOAT ? 4 : 8;
    }

    /** @return the type the path computes in */
    DataType type() {
        return type;
    }

    /** @return null if the structured path supports {@code net}, else the reason it does not */
    static String unsupportedReason(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int n = net.getnLayers();
        boolean sawConv = false;
        int recurrentLayers = 0;
        for (int i = 0; i < n; i++) {
            org.deeplearning4j.nn.conf.layers.Layer l = conf.getConf(i).getLayer();
            if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop f) {
                l = f.getUnderlying();
            }
            if (RecurrentLayers.handles(l)) {
                String reason = conf.getInputPreProcess(i) != null ? "layer " + i + " (recurrent) has a preprocessor"
                        : RecurrentLayers.reason("layer " + i, l, net.getLayer(i).paramTable().keySet());
                if (reason != null) {
                    return reason;
                }
                recurrentLayers++;
                continue;
            }
            String reason = layerReason("layer " + i, conf.getConf(i).getLayer(), conf.getInputPreProcess(i),
                    net.getLayer(i).paramTable().keySet());
            if (reason != null) {
                return reason;
            }
            Class<?> c = l.getClass();
            if ((c == LossLayer.class || c == OutputLayer.class || c == CenterLossOutputLayer.class
                    || c == org.deeplearning4j.nn.conf.layers.CnnLossLayer.class || c == Yolo2OutputLayer.class)
                    && i != n - 1) {
                return "layer " + i + " (" + c.getSimpleName() + ") is not the last layer";
            }
            sawConv |= c == ConvolutionLayer.class || c == SubsamplingLayer.class;
        }
        Class<?> last = DenseNtk.unwrap(conf.getConf(n - 1).getLayer()).getClass();
        if (last == org.deeplearning4j.nn.conf.layers.CnnLossLayer.class || last == Yolo2OutputLayer.class) {
            return sawConv ? null : "the network has no convolution or subsampling layer";
        }
        if (recurrentLayers > 0) {
            if (recurrentLayers < n) {
                return "the network mixes recurrent layers with other layers (the recurrent structured path takes "
                        + "LSTM, GravesLSTM, SimpleRnn and RnnOutputLayer only)";
            }
            return last == org.deeplearning4j.nn.conf.layers.RnnOutputLayer.class ? null
                    : "the last recurrent layer is not an RnnOutputLayer";
        }
        if (last != OutputLayer.class && last != CenterLossOutputLayer.class && last != LossLayer.class) {
            return "the last layer is not an OutputLayer, CenterLossOutputLayer or LossLayer";
        }
        return sawConv ? null : "the network has no convolution or subsampling layer";
    }

    /**
     * Whether the structured path supports one layer (where it stands in the network is the caller's check).
     *
     * @param where     how to name the layer in the reason ("layer 3", "vertex 'conv1'")
     * @param layer     its configuration (FrozenLayerWithBackprop unwrapped here)
     * @param pp        its input preprocessor, or null
     * @param paramKeys its parameter names
     * @return null if supported, else the reason
     */
    static String layerReason(String where, org.deeplearning4j.nn.conf.layers.Layer layer, InputPreProcessor pp,
                              java.util.Set<String> paramKeys) {
        org.deeplearning4j.nn.conf.layers.Layer l = layer;
        if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop f) {
            l = f.getUnderlying();
        }
        Class<?> c = l.getClass();
        String activation = ActivationSupport.unsupportedReason(l);
        if (activation != null) {
            return activation;
        }
        if (pp != null && !(pp.getClass() == CnnToFeedForwardPreProcessor.class
                || pp.getClass() == FeedForwardToCnnPreProcessor.class)) {
            return where + " has preprocessor " + pp.getClass().getSimpleName();
        }
        if (pp instanceof CnnToFeedForwardPreProcessor p && p.getFormat() != CNN2DFormat.NCHW) {
            return where + " has a preprocessor for a format other than NCHW";
        }
        if (c == ConvolutionLayer.class) {
            ConvolutionLayer cl = (ConvolutionLayer) l;
            if (cl.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return where + " is a convolution in format " + cl.getCnn2dDataFormat();
            }
            if (cl.getConvolutionMode() == ConvolutionMode.Causal) {
                return where + " is a causal convolution";
            }
        } else if (c == SubsamplingLayer.class) {
            if (((SubsamplingLayer) l).getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return where + " is a subsampling layer in format other than NCHW";
            }
        } else if (c == BatchNormalization.class) {
            String bn = BatchNormInference.unsupportedReason((BatchNormalization) l);
            if (bn != null) {
                return bn;
            }
            if (((BatchNormalization) l).getCnn2DFormat() != CNN2DFormat.NCHW) {
                return where + " is a BatchNormalization in format other than NCHW";
            }
            return null;
        } else if (c == Yolo2OutputLayer.class) {
            String yolo = YoloOutput.unsupportedReason(where, (Yolo2OutputLayer) l);
            if (yolo != null) {
                return yolo;
            }
        } else if (c == org.deeplearning4j.nn.conf.layers.CnnLossLayer.class) {
            if (((org.deeplearning4j.nn.conf.layers.CnnLossLayer) l).getFormat() != CNN2DFormat.NCHW) {
                return where + " is a CnnLossLayer in format other than NCHW";
            }
        } else if (PARAMETER_FREE.contains(c)) {
            String reason = parameterFreeReason(where, l);
            if (reason != null) {
                return reason;
            }
        } else if (!(c == DenseLayer.class || c == ActivationLayer.class || c == LossLayer.class
                || c == OutputLayer.class || c == CenterLossOutputLayer.class)) {
            return where + " is a " + c.getSimpleName();
        }
        for (String key : paramKeys) {
            if (!DenseNtk.modelledParameter(l, key)) {
                return where + " has parameter '" + key + "'";
            }
        }
        return null;
    }

    /**
     * Parameter-free layers whose signal the path passes down by DL4J's own {@code backpropGradient} (as for
     * SubsamplingLayer and ActivationLayer): they have no training/inference difference once dropout is removed.
     * LocalResponseNormalization is not among them: DL4J's backward pass of it differs from finite differences of its
     * own {@code output()} by about 8e-5 relative on the kernel, independently of the step (measured on a small CNN),
     * so the kernel would not be that of {@code output()}.
     */
    static final java.util.Set<Class<?>> PARAMETER_FREE = java.util.Set.of(
            org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.class,
            org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer.class,
            org.deeplearning4j.nn.conf.layers.DropoutLayer.class,
            org.deeplearning4j.nn.conf.layers.Upsampling2D.class,
            org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer.class);

    private static String parameterFreeReason(String where, org.deeplearning4j.nn.conf.layers.Layer l) {
        if (l instanceof org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer z
                && z.getDataFormat() != CNN2DFormat.NCHW) {
            return where + " is a ZeroPaddingLayer in format " + z.getDataFormat();
        }
        if (l instanceof org.deeplearning4j.nn.conf.layers.Upsampling2D u && u.getFormat() != CNN2DFormat.NCHW) {
            return where + " is an Upsampling2D in format " + u.getFormat();
        }
        if (l instanceof org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer d
                && d.getDataFormat() != CNN2DFormat.NCHW) {
            return where + " is a SpaceToDepthLayer in format " + d.getDataFormat();
        }
        if (l instanceof org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer g) {
            if (!g.isCollapseDimensions()) {
                return where + " is a GlobalPoolingLayer that keeps its pooled dimensions";
            }
            if (g.getPoolingDimensions() != null && !java.util.Arrays.equals(g.getPoolingDimensions(),
                    new int[] {2, 3})) {
                return where + " is a GlobalPoolingLayer over dimensions "
                        + java.util.Arrays.toString(g.getPoolingDimensions()) + " (only NCHW's 2, 3)";
            }
        }
        return null;
    }

    /**
     * @param x a batch of inputs (its sequence length T sets a recurrent network's outputs)
     * @return k, the outputs per example: nOut, or nOut x T for a recurrent network (entry {@code unit T + t})
     */
    int outputs(INDArray x) {
        if (pixelOutputs) {
            syncParams();
            // a verifying pass: it also records the convolutions' output sizes for the passes that follow
            List<Cache> cache = forward(rows(x, 0, 1), true);
            return Math.toIntExact(cache.get(graph != null ? graph.outputVertex() : cache.size() - 1).output()
                    .length());
        }
        return recurrent ? Math.toIntExact((long) outputs * x.size(2)) : outputs;
    }

    /**
     * @return the kernel as {@link DenseNtk#kernel}: (n1 k) x (n2 k) indexed {@code i * k + c}, or the sum over the
     *         outputs; DOUBLE
     */
    INDArray kernel(INDArray x1, INDArray x2, int[] outputsToUse, boolean full) {
        boolean same = x1 == x2;
        syncParams();
        long n1 = x1.size(0);
        long n2 = x2.size(0);
        int k = outputsToUse.length;
        long perExample = bytesPerExample(x1, k);
        long resultBytes = (full ? n1 * k * n2 * k : n1 * n2) * 8L;
        long available = memoryBudgetBytes - resultBytes;
        long examples = same ? n1 : n1 + n2;
        lastOutputChunk = k;
        if (!full && k > 1 && perExample * examples > available) {
            // the trace kernel is a sum over outputs: chunks of outputs bound the working memory (it grows with the
            // number of signal rows) without the recomputation that tiles of examples cost; the chunks' sum and the
            // current chunk's kernel are both held
            int chunk = largestOutputChunk(x1, k, examples, memoryBudgetBytes - 2 * resultBytes);
            if (chunk >= 1) {
                log.debug("structured NTK: the trace over {} outputs in chunks of {}", k, chunk);
                INDArray sum = null;
                for (int c0 = 0; c0 < k; c0 += chunk) {
                    INDArray part = kernel(x1, x2, java.util.Arrays.copyOfRange(outputsToUse, c0,
                            Math.min(k, c0 + chunk)), false);
                    if (sum == null) {
                        sum = part;
                    } else {
                        sum.addi(part);
                        part.close();
                    }
                }
                lastOutputChunk = chunk;
                return sum;
            }
        }
        long tile;
        if (perExample * examples <= available) {
            tile = Math.max(n1, n2);
        } else {
            tile = Math.min(Math.max(n1, n2), Math.max(0, available / (2 * perExample)));
        }
        if (tile < 1) {
            throw new IllegalStateException(String.format("EmpiricalNtk (structured path) needs at least %,d bytes: "
                    + "%,d for the result plus %,d per example (two examples) for its working memory, but "
                    + "memoryBudgetBytes is %,d; raise memoryBudgetBytes or use fewer probe examples or outputs",
                    resultBytes + 2 * perExample, resultBytes, perExample, memoryBudgetBytes));
        }
        lastTile = tile;
        chooseForms(x1, Math.min(tile, n1), Math.min(tile, n2), k, full, same);
        if (tile < Math.max(n1, n2)) {
            log.debug("structured NTK: {} x {} examples in tiles of {} ({} bytes per example, budget {})", n1, n2,
                    tile, perExample, memoryBudgetBytes);
        }
        if (tile >= n1 && tile >= n2) {
            List<Terms> t1 = terms(x1, k, outputsToUse);
            List<Terms> t2 = same ? t1 : terms(x2, k, outputsToUse);
            if (perExample * (same ? n1 : n1 + n2) > GC_ABOVE_BYTES) {
                // reclaim the off-heap garbage of the backward pass (DL4J's and ND4J's temporaries) before the
                // products: the Java heap hardly grows, so the collector would otherwise run late (measured on
                // LeNet, n = 256, float: peak RSS 1.5 GB with this, 2.0-2.2 GB without)
                System.gc();
            }
            INDArray r = block(t1, t2, n1, n2, k, same, full);
            release(t1);
            if (!same) {
                release(t2);
            }
            return r;
        }
        INDArray result = full ? Nd4j.zeros(DataType.DOUBLE, n1 * k, n2 * k) : Nd4j.zeros(DataType.DOUBLE, n1, n2);
        int m = full ? k : 1;
        for (long i0 = 0; i0 < n1; i0 += tile) {
            long i1 = Math.min(n1, i0 + tile);
            List<Terms> ti = terms(rows(x1, i0, i1), k, outputsToUse);
            for (long j0 = same ? i0 : 0; j0 < n2; j0 += tile) {
                long j1 = Math.min(n2, j0 + tile);
                boolean diagonal = same && j0 == i0;
                List<Terms> tj = diagonal ? ti : terms(rows(x2, j0, j1), k, outputsToUse);
                INDArray b = block(ti, tj, i1 - i0, j1 - j0, k, diagonal, full);
                result.get(NDArrayIndex.interval(i0 * m, i1 * m), NDArrayIndex.interval(j0 * m, j1 * m)).assign(b);
                if (same && !diagonal) {
                    result.get(NDArrayIndex.interval(j0 * m, j1 * m), NDArrayIndex.interval(i0 * m, i1 * m))
                            .assign(b.transpose());
                }
                b.close();
                if (!diagonal) {
                    release(tj);
                }
                // tiles are used to bound memory: reclaim the off-heap garbage of DL4J's and ND4J's temporaries now
                // (the Java heap hardly grows, so the collector would otherwise run late; measured on LeNet,
                // n = 256, budget 0.5 GiB: peak RSS 4.2-4.4 GB without this)
                System.gc();
            }
            release(ti);
        }
        return result;
    }

    /**
     * @return the largest number of outputs (below k) whose working memory for {@code examples} examples fits in
     *         {@code available} bytes, or 0 if not even one output does
     */
    private int largestOutputChunk(INDArray x, int k, long examples, long available) {
        int lo = 0;
        int hi = k - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (bytesPerExample(x, mid) * examples <= available) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Prepares calls of {@link #factors} and {@link #tileBlock} on tiles of at most {@code tile} examples: the
     * current parameters of the network, and per convolution the form for a tile pair of that size (the same form
     * for every tile, so that the factors of any two tiles combine).
     *
     * @param sample at least one example
     * @param tile   examples per tile
     * @param k      number of outputs
     */
    void prepareTiles(INDArray sample, long tile, int k) {
        syncParams();
        lastTile = tile;
        chooseForms(sample, tile, tile, k, false, false);
    }

    /** @return the factors of every trainable layer for the batch {@code x} (free them with {@link #release}) */
    List<Terms> factors(INDArray x, int[] outputsToUse) {
        return terms(x, outputsToUse.length, outputsToUse);
    }

    /**
     * @return the trace kernel block between two tiles' factors, DOUBLE [n1, n2]; {@code a == b}: the symmetric
     *         diagonal block by half-work products
     */
    INDArray tileBlock(List<Terms> a, List<Terms> b, long n1, long n2, int k) {
        return block(a, b, n1, n2, k, a == b, false);
    }

    /** Rows [from, to) of a batch, a new C-order array. */
    private static INDArray rows(INDArray x, long from, long to) {
        return indexRows(x, from, to).dup('c');
    }

    /**
     * Working memory per example, in bytes of the path's type, from the shapes of one example's forward pass: what
     * stays allocated through a tile's backward pass (per layer its input, pre-activation and output, the im2col
     * patches, and the factors kept for the products: the per-example gradients {@code k C_out D} of a convolution,
     * the layer input and {@code k out} signals of a dense layer) plus the largest transient of one layer's batched
     * backward pass ({@code k} times the signals above and below, the pre-activation derivative and the input
     * repeated k times). The {@code W^T Delta} columns below a convolution are formed in chunks of at most
     * {@link #COLUMN_BYTES}, a constant.
     */
    long bytesPerExample(INDArray x, int k) {
        List<Cache> cache = forward(rows(x, 0, 1), true);
        long kept = 0;
        long transient_ = 0;
        for (int l = 0; l < cache.size(); l++) {
            Cache c = cache.get(l);
            if (c == null) {
                continue;
            }
            long in = c.input().length();
            long out = c.outLength();
            if (recurrent) {
                long steps = c.input().size(2);
                long hidden = out / steps;
                long gates = c.state() != null && c.state().c() != null ? 4 * hidden : hidden;
                if (recurrentForms == null || recurrentForms.length != cache.size()) {
                    recurrentForms = new Form[cache.size()];
                }
                long[] dg = recurrentShape(c);
                recurrentForms[l] = form != Form.AUTO ? form
                        : cheaper(x.size(0), x.size(0), steps, dg[0], dg[1], k, false, true);
                kept += RecurrentLayers.elementsPerExample(c.input().size(1), hidden, gates, steps, k,
                        recurrentForms[l] == Form.GRADIENTS);
                transient_ = Math.max(transient_, k * (2 * in + 2 * out));
                continue;
            }
            kept += in + 2 * out;
            if (c.patches() != null) {
                long cOut = c.z().size(1);
                long d = c.patches().size(1);
                kept += c.patches().length() + k * cOut * d + k * cOut;
            } else if (c.z() != null && c.z() != c.input()) {
                kept += k * out;
            }
            transient_ = Math.max(transient_, k * (2 * in + 2 * out) + out);
        }
        return (kept + transient_) * (type == DataType.FLOAT ? 4 : 8);
    }

    /**
     * Multiply-adds of the gradient form for one convolution on a t1 x t2 tile pair: forming G on both tiles (one
     * if symmetric) and the product (halved for a symmetric trace kernel).
     */
    static double gradientFormCost(long t1, long t2, long positions, long d, long cOut, int k, boolean full,
                                   boolean same) {
        double form = (double) (same ? t1 : t1 + t2) * positions * d * k * cOut;
        double product = (double) t1 * t2 * k * (full ? k : 1) * d * cOut;
        return form + (same && !full ? 0.5 : 1.0) * product;
    }

    /** Multiply-adds of the signal-patch form: the patch Gram and the signal Gram(s) over all position pairs. */
    static double patchFormCost(long t1, long t2, long positions, long d, long cOut, int k, boolean full) {
        double pairs = (double) t1 * t2 * positions * positions;
        return pairs * d + pairs * k * (full ? k : 1) * cOut;
    }

    /** @return the cheaper form by multiply-add count */
    private static Form cheaper(long t1, long t2, long positions, long d, long cOut, int k, boolean full,
                                boolean same) {
        double g = gradientFormCost(t1, t2, positions, d, cOut, k, full, same);
        double p = patchFormCost(t1, t2, positions, d, cOut, k, full);
        return p < g ? Form.PATCHES : Form.GRADIENTS;
    }

    /** @return a recurrent layer's {d, G}: width of its per-step input {@code [x_t, h_{t-1}]} and of its signals */
    private static long[] recurrentShape(Cache c) {
        if (c.state() == null) {
            // RnnOutputLayer: input rows (i, t) and pre-activation rows (i, t)
            return new long[] {c.inputs()[0].size(1), c.z().size(1)};
        }
        long hidden = c.state().h()[0].size(1);
        long gates = c.state().c() != null ? 4 * hidden : hidden;
        return new long[] {c.input().size(1) + hidden, gates};
    }

    private void chooseForms(INDArray x, long t1, long t2, int k, boolean full, boolean same) {
        List<Cache> cache = forward(rows(x, 0, 1), true);
        forms = new Form[cache.size()];
        for (int l = 0; l < cache.size(); l++) {
            Cache c = cache.get(l);
            if (c != null && recurrent) {
                long[] dg = recurrentShape(c);
                forms[l] = form != Form.AUTO ? form : recurrentForms != null && recurrentForms.length == cache.size()
                        && recurrentForms[l] != null && !full ? recurrentForms[l]
                        : cheaper(t1, t2, c.input().size(2), dg[0], dg[1], k, full, same);
                continue;
            }
            if (c == null || c.patches() == null) {
                continue;
            }
            long d = c.patches().size(1);
            long cOut = c.z().size(1);
            if (form != Form.AUTO) {
                forms[l] = form;
                continue;
            }
            double g = gradientFormCost(t1, t2, c.positions(), d, cOut, k, full, same);
            double p = patchFormCost(t1, t2, c.positions(), d, cOut, k, full);
            forms[l] = p < g ? Form.PATCHES : Form.GRADIENTS;
        }
    }

    /** Frees the factors' off-heap buffers now (they are large off-heap and tiny on the Java heap). */
    static void release(List<Terms> terms) {
        for (Terms t : terms) {
            if (t == null) {
                continue;
            }
            for (INDArray a : new INDArray[] {t.a(), t.delta(), t.g(), t.bias(), t.signals(), t.patches()}) {
                close(a);
            }
        }
    }

    private static void close(INDArray a) {
        if (a != null && !a.wasClosed() && a.closeable()) {
            a.close();
        }
    }

    /** The factors of every trainable layer for a batch: one forward pass and one batched backward pass. */
    private List<Terms> terms(INDArray x, int k, int[] outputsToUse) {
        List<Cache> cache = forward(x, false);
        List<Terms> t = backward(cache, x.size(0), outputsToUse);
        // free the forward cache now (off-heap buffers the garbage collector would reclaim only much later: the
        // Java heap hardly grows), except buffers the factors still use; by buffer identity, since reshapes and
        // preprocessors may share one buffer between several arrays
        java.util.Set<org.nd4j.linalg.api.buffer.DataBuffer> kept =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Terms term : t) {
            if (term != null) {
                for (INDArray a : new INDArray[] {term.a(), term.delta(), term.g(), term.bias(), term.patches(),
                    term.signals()}) {
                    if (a != null) {
                        kept.add(a.data());
                    }
                }
            }
        }
        java.util.Set<org.nd4j.linalg.api.buffer.DataBuffer> freed =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Cache c : cache) {
            if (c == null) {
                continue;
            }
            List<INDArray> arrays = new ArrayList<>(List.of(c.input(), c.z() == null ? c.input() : c.z(),
                    c.patches() == null ? c.input() : c.patches(), c.output()));
            if (c.inputs() != null) {
                arrays.addAll(List.of(c.inputs()));
            }
            for (INDArray a : arrays) {
                if (a == null) {
                    continue;
                }
                org.nd4j.linalg.api.buffer.DataBuffer b = a.data();
                if (!kept.contains(b) && freed.add(b) && b.closeable() && !b.wasClosed()) {
                    b.close();
                }
            }
        }
        return t;
    }

    /**
     * Sum over trainable layers of their contributions for one tile pair, DOUBLE; for a symmetric trace block
     * ({@code same}) the half-work lower-block products, mirrored at the end.
     */
    private INDArray block(List<Terms> a, List<Terms> b, long n1, long n2, int k, boolean same, boolean full) {
        INDArray result = null;
        for (int l = 0; l < a.size(); l++) {
            Terms p = a.get(l);
            Terms q = b.get(l);
            if (p == null) {
                continue;
            }
            List<INDArray> parts = new ArrayList<>();
            if (p.g() != null) {
                parts.add(stacked(p.g(), q.g(), k, same, full));
            }
            if (p.bias() != null && p.a() == null) {
                parts.add(stacked(p.bias(), q.bias(), k, same, full));
            }
            if (p.a() != null) {
                parts.add(dense(p, q, k, same, full));
            }
            if (p.patches() != null) {
                parts.add(patchForm(p, q, k, full));
            }
            for (INDArray part : parts) {
                INDArray d = part.dataType() == DataType.DOUBLE ? part : part.castTo(DataType.DOUBLE);
                if (result == null) {
                    result = d;
                } else {
                    result.addi(d);
                    close(d);
                }
                if (d != part) {
                    close(part);
                }
            }
        }
        if (result == null) {
            return Nd4j.zeros(DataType.DOUBLE, n1 * (full ? k : 1), n2 * (full ? k : 1));
        }
        if (same && !full) {
            DenseNtk.mirrorLowerBlocks(result);
        }
        return result;
    }


    /**
     * Product of per-example factors with rows {@code i k + c}: the full kernel is {@code F1 F2^T}; the trace over
     * outputs is the product of the factors viewed as [t, k width] (row i holds every output of example i).
     */
    private static INDArray stacked(INDArray f1, INDArray f2, int k, boolean same, boolean full) {
        if (full) {
            return f1.mmul(f2.transpose());
        }
        long w = f1.columns() * k;
        return DenseNtk.product(f1.reshape('c', f1.rows() / k, w), f2.reshape('c', f2.rows() / k, w), same);
    }

    /** A dense layer: {@code (A A^T (+ 1)) o (Delta Delta^T)}, as in {@link DenseNtk#kernel}. */
    private static INDArray dense(Terms p, Terms q, int k, boolean same, boolean full) {
        boolean bias = p.bias() != null;
        INDArray aa = DenseNtk.product(p.a(), q.a(), same && !full);
        if (bias) {
            aa.addi(1.0);
        }
        if (!full) {
            return aa.muli(stacked(p.delta(), q.delta(), k, same, false));
        }
        return DenseNtk.scaleOutputBlocks(p.delta().mmul(q.delta().transpose()), aa, k);
    }

    /**
     * The signal-patch form of a convolution: {@code K_ij = sum_{p,q} <patch_i(p), patch_j(q)> sum_c
     * <delta_ic(p), delta_jc(q)>} (trace) or per output pair (full), from [rows P, t2 P] products, rows of examples
     * of the first tile at a time so that one product has at most {@link #PATCH_PRODUCT_ENTRIES} entries.
     */
    private INDArray patchForm(Terms p, Terms q, int k, boolean full) {
        int pos = p.positions();
        long t1 = p.signals().size(0);
        long t2 = q.signals().size(0);
        long cOut = p.signals().size(3);
        INDArray result = full ? Nd4j.zeros(type, t1 * k, t2 * k) : Nd4j.zeros(type, t1, t2);
        long chunk = Math.max(1, Math.min(t1, PATCH_PRODUCT_ENTRIES / ((long) pos * pos * t2)));
        INDArray s2 = q.signals().reshape('c', t2 * pos, k * cOut);
        for (long i0 = 0; i0 < t1; i0 += chunk) {
            long i1 = Math.min(t1, i0 + chunk);
            long rows = i1 - i0;
            INDArray pp = p.patches().get(NDArrayIndex.interval(i0 * pos, i1 * pos), NDArrayIndex.all())
                    .mmul(q.patches().transpose());
            INDArray s1 = p.signals().get(NDArrayIndex.interval(i0, i1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup('c').reshape('c', rows * pos, k * cOut);
            if (!full) {
                INDArray ss = s1.mmul(s2.transpose()).muli(pp);
                result.get(NDArrayIndex.interval(i0, i1), NDArrayIndex.all())
                        .assign(ss.reshape('c', rows, pos, t2, pos).sum(1, 3));
                close(ss);
            } else {
                INDArray s13 = s1.reshape('c', rows * pos, k, cOut);
                INDArray s23 = s2.reshape('c', t2 * pos, k, cOut);
                for (int ci = 0; ci < k; ci++) {
                    INDArray a = s13.get(NDArrayIndex.all(), NDArrayIndex.point(ci), NDArrayIndex.all()).dup('c');
                    for (int cj = 0; cj < k; cj++) {
                        INDArray b = s23.get(NDArrayIndex.all(), NDArrayIndex.point(cj), NDArrayIndex.all());
                        INDArray ss = a.mmul(b.transpose()).muli(pp);
                        result.reshape('c', t1, k, t2, k).get(NDArrayIndex.interval(i0, i1), NDArrayIndex.point(ci),
                                NDArrayIndex.all(), NDArrayIndex.point(cj))
                                .assign(ss.reshape('c', rows, pos, t2, pos).sum(1, 3));
                        close(ss);
                    }
                }
            }
            close(pp);
            close(s1);
        }
        return result;
    }
    /**
     * @param x      a batch
     * @param verify also run DL4J's own forward pass of the convolution, dense and BatchNormalization layers and
     *               check the path's against it (done on one example per kernel call)
     */
    private List<Cache> forward(INDArray x, boolean verify) {
        if (graph != null) {
            return graph.forward(x, verify);
        }
        MultiLayerConfiguration conf = copy.getLayerWiseConfigurations();
        int n = (int) x.size(0);
        // a copy: the forward cache is freed after use and must never alias the caller's array
        INDArray a = x.dataType() == type ? x.dup('c') : x.castTo(type);
        if (a == x || a.isView() || a.ordering() != 'c') {
            a = a.dup('c');
        }
        List<Cache> cache = new ArrayList<>();
        for (int l = 0; l < copy.getnLayers(); l++) {
            InputPreProcessor pp = conf.getInputPreProcess(l);
            if (pp != null) {
                a = pp.preProcess(a, n, mgr);
                if (a.isView() || a.ordering() != 'c') {
                    a = a.dup('c');
                }
            }
            Cache c = layerForward(copy.getLayer(l), l, a, verify);
            cache.add(c);
            a = c.output();
        }
        return cache;
    }

    /**
     * One layer's forward pass (the path's own for convolution, dense and BatchNormalization layers, DL4J's for the
     * others).
     *
     * @param impl   the layer of the private copy
     * @param l      its index (layer index, or vertex index in a graph)
     * @param a      its input (after its preprocessor), C order
     * @param verify also run DL4J's forward pass and check the path's against it
     * @return the layer's cache, with its output
     */
    Cache layerForward(Layer impl, int l, INDArray a, boolean verify) {
        double tolerance = type == DataType.DOUBLE ? 1e-9 : 1e-4;
        int n = (int) a.size(0);
        org.deeplearning4j.nn.conf.layers.Layer lc = DenseNtk.unwrap(impl.conf().getLayer());
        if (RecurrentLayers.handles(lc)) {
            return recurrentForward(impl, l, a, verify, tolerance);
        }
        // convolution, dense and BatchNormalization layers: the path's own forward pass (DL4J's is only run
        // to verify it, on one example); the others through DL4J's layer
        boolean own = lc instanceof ConvolutionLayer || DenseNtk.affine(lc) || lc instanceof BatchNormalization;
        INDArray out = null;
        if (!own || verify) {
            // DL4J layers may modify their input in place in inference (ActivationLayer does): hand them a copy
            impl.setInput(lc instanceof ActivationLayer || PARAMETER_FREE.contains(lc.getClass()) || own ? a.dup()
                    : a, mgr);
            out = impl.activate(false, mgr);
            if (out.isView() || out.ordering() != 'c' || out == a) {
                out = out.dup('c');
            }
        }
        INDArray z = null;
        INDArray patches = null;
        int positions = 0;
        ConvGeometry geometry = null;
        if (lc instanceof ConvolutionLayer cl) {
            INDArray w = impl.getParam("W");
            long cOut = w.size(0);
            long d = w.size(1) * w.size(2) * w.size(3);
            if (verify) {
                // output sizes from DL4J's own forward pass (the verifying one runs first in every kernel call)
                convOut[l] = new long[] {out.size(2), out.size(3)};
            }
            long oh = convOut[l][0];
            long ow = convOut[l][1];
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
                padded = Nd4j.zeros(type, n, a.size(1), inSize[0] + tl[0] + br[0],
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
            INDArray col = Nd4j.create(type, new long[] {n, a.size(1), kernel[0], kernel[1], oh, ow},
                    'c');
            Convolution.im2col(padded, kernel[0], kernel[1], stride[0], stride[1], ph, pw, dil[0], dil[1], false,
                    col);
            if (padded != a) {
                close(padded);
            }
            // im2col's own layout, [n, D, P] (no permutation: strided rank-6 copies are slow in ND4J)
            patches = col.reshape('c', n, d, positions);
            INDArray wRep = repeatRows(w.dup('c').reshape('c', 1, cOut, d), n);
            INDArray z3 = Nd4j.matmul(wRep, patches, false, false, false);
            close(wRep);
            if (z3.ordering() != 'c' || z3.isView()) {
                z3 = z3.dup('c');
            }
            if (impl.paramTable().containsKey("b")) {
                z3.addi(impl.getParam("b").reshape('c', 1, cOut, 1));
            }
            z = z3.reshape('c', n, cOut, oh, ow);
            if (verify) {
                check(cl.getActivationFn(), z, out, l, tolerance);
            }
            out = cl.getActivationFn().getActivation(z.dup(), false);
        } else if (DenseNtk.unwrap(lc) instanceof BatchNormalization) {
            // DL4J's BatchNormalization ignores its activation: its output is the affine map itself
            z = BatchNormInference.of(impl, type).forward(a);
            if (verify) {
                check(new ActivationIdentity(), z, out, l, tolerance);
            }
            out = z.dup();
        } else if (DenseNtk.affine(lc)) {
            z = a.mmul(impl.getParam("W"));
            if (impl.paramTable().containsKey("b")) {
                z.addiRowVector(impl.getParam("b"));
            }
            INDArray mine = ((BaseLayer) lc).getActivationFn().getActivation(z.dup(), false);
            if (verify) {
                check(((BaseLayer) lc).getActivationFn(), z, out, l, tolerance);
            }
            out = mine;
        } else if (lc instanceof LossLayer || lc instanceof ActivationLayer
                || lc instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer || lc instanceof Yolo2OutputLayer) {
            z = a;
        }
        return new Cache(a, z, patches, positions, geometry, out);
    }

    /**
     * A recurrent layer's forward pass (the path's own, see {@link RecurrentLayers}); with {@code verify}, checked
     * against DL4J's output of the layer.
     */
    private Cache recurrentForward(Layer impl, int l, INDArray a, boolean verify, double tolerance) {
        org.deeplearning4j.nn.conf.layers.Layer lc = DenseNtk.unwrap(impl.conf().getLayer());
        INDArray out;
        Cache cache;
        if (lc instanceof org.deeplearning4j.nn.conf.layers.RnnOutputLayer) {
            INDArray[] r = RecurrentLayers.outputForward(impl, a);
            out = r[2];
            // input as rows (i, t) in "patches", pre-activation rows (i, t) in z
            cache = new Cache(a, r[1], null, (int) a.size(2), null, out.length(), out, new INDArray[] {r[0]}, null);
        } else {
            RecurrentLayers.State s = RecurrentLayers.forward(impl, a);
            out = RecurrentLayers.output(s);
            cache = new Cache(a, null, null, (int) a.size(2), null, out.length(), out, null, s);
        }
        if (verify) {
            impl.setInput(a.dup(), mgr);
            check(new ActivationIdentity(), out, impl.activate(false, mgr), l, tolerance);
        }
        return cache;
    }

    /** The recomputed pre-activation must give DL4J's own forward output. */
    private static void check(IActivation act, INDArray z, INDArray out, int layer, double tolerance) {
        INDArray mine = act.getActivation(z.dup(), false);
        double scale = Math.max(1e-12, out.amaxNumber().doubleValue());
        double diff = mine.sub(out).amaxNumber().doubleValue();
        if (!(diff <= tolerance * scale)) {
            throw new IllegalStateException("structured NTK path: layer " + layer + " recomputed by the path "
                    + "differs from DL4J's output by " + diff + " (scale " + scale + "); use Method.GENERIC");
        }
    }

    /**
     * Back-propagates {@code d f_c / d output} of all requested outputs at once through the copy (rows
     * {@code i k + c}); per layer, the trainable factors (or null).
     */
    private List<Terms> backward(List<Cache> cache, long n, int[] outputsToUse) {
        if (graph != null) {
            return graph.backward(cache, n, outputsToUse);
        }
        MultiLayerConfiguration conf = copy.getLayerWiseConfigurations();
        int layers = copy.getnLayers();
        int k = outputsToUse.length;
        Terms[] terms = new Terms[layers];
        long steps = recurrent ? cache.get(0).input().size(2) : 1;
        long width = pixelOutputs ? cache.get(layers - 1).output().length() / n : outputs * steps;
        INDArray eps = Nd4j.zeros(type, n * k, width);
        INDArray eps3 = eps.reshape('c', n, k, width);
        for (int ci = 0; ci < k; ci++) {
            eps3.get(NDArrayIndex.all(), NDArrayIndex.point(ci), NDArrayIndex.point(outputsToUse[ci])).assign(1.0);
        }
        if (recurrent) {
            // entry unit T + t of one example's [nOut, T] output
            eps = eps.reshape('c', n * k, outputs, steps);
        }
        for (int l = layers - 1; l >= 0; l--) {
            eps = layerBackward(copy.getLayer(l), l, cache.get(l), eps, n, k, l > 0, terms);
            if (eps == null || l == 0) {
                break;
            }
            InputPreProcessor pp = conf.getInputPreProcess(l);
            if (pp != null) {
                // a reshape: may share the buffer of the signal above, which is therefore not freed here
                eps = pp.backprop(eps, (int) (n * k), mgr);
                if (eps.isView() || eps.ordering() != 'c') {
                    eps = eps.dup('c');
                }
            }
        }
        close(eps);
        List<Terms> list = new ArrayList<>();
        for (Terms t : terms) {
            list.add(t);
        }
        return list;
    }

    /**
     * One layer's batched backward pass for all k outputs.
     *
     * @param impl      the layer of the private copy
     * @param l         its index (layer index, or vertex index in a graph): where its factors go in {@code terms}
     * @param ch        its forward cache
     * @param eps       {@code d f_c / d output} of the layer, [n k, ...] (the path's own array: freed or reused)
     * @param needBelow whether the signal below the layer is needed
     * @param terms     receives the layer's trainable factors (or null) at index {@code l}
     * @return the signal with respect to the layer's input (before its preprocessor), or null
     */
    INDArray layerBackward(Layer impl, int l, Cache ch, INDArray eps, long n, int k, boolean needBelow,
                           Terms[] terms) {
        org.deeplearning4j.nn.conf.layers.Layer lc = DenseNtk.unwrap(impl.conf().getLayer());
        boolean frozen = TrainableParameters.isFrozen(impl);
        boolean trainW = !frozen && impl.paramTable().containsKey("W")
                && TrainableParameters.isTrainable(impl.getConfig(), "W");
        boolean trainB = !frozen && impl.paramTable().containsKey("b")
                && TrainableParameters.isTrainable(impl.getConfig(), "b");
        INDArray below;
        INDArray kept = null;
        if (RecurrentLayers.handles(lc)) {
            RecurrentLayers.Backward r;
            if (lc instanceof org.deeplearning4j.nn.conf.layers.RnnOutputLayer) {
                r = RecurrentLayers.outputBackward(impl, ch.inputs()[0], ch.z(), eps, k, trainW, trainB, needBelow,
                        forms[l] == Form.GRADIENTS);
            } else {
                boolean trainRW = !frozen && TrainableParameters.isTrainable(impl.getConfig(), "RW");
                r = RecurrentLayers.backward(impl, ch.state(), eps, k, trainW, trainRW, trainB, needBelow,
                        forms[l] == Form.GRADIENTS);
            }
            terms[l] = r.terms();
            below = r.below();
        } else if (DenseNtk.affine(lc)) {
            INDArray delta = DenseNtk.signal(((BaseLayer) lc).getActivationFn(), ch.z(), eps, k);
            kept = delta;
            terms[l] = trainW || trainB ? new Terms(trainW ? ch.input() : null, trainW ? delta : null, null,
                    trainB ? delta : null, null, null, 0) : null;
            below = !needBelow ? null : delta.mmul(impl.getParam("W").transpose());
        } else if (lc instanceof LossLayer loss) {
            below = DenseNtk.signal(loss.getActivationFn(), ch.z(), eps, k);
        } else if (lc instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer loss) {
            below = pixelSignal(loss.getActivationFn(), ch.z(), eps, k);
        } else if (lc instanceof Yolo2OutputLayer yolo) {
            below = YoloOutput.signal(yolo, ch.z(), eps, k);
        } else if (lc instanceof BatchNormalization) {
            BatchNormInference bn = BatchNormInference.of(impl, type);
            boolean train = !frozen && bn.hasGammaBeta();
            boolean trainGamma = train && TrainableParameters.isTrainable(impl.getConfig(), "gamma");
            boolean trainBeta = train && TrainableParameters.isTrainable(impl.getConfig(), "beta");
            INDArray gamma = null;
            if (trainGamma) {
                INDArray xhat = repeatRows(bn.normalize(ch.input()), k);
                gamma = bn.gammaGradients(eps, xhat);
                close(xhat);
            }
            terms[l] = trainGamma || trainBeta ? new Terms(null, null, gamma,
                    trainBeta ? bn.betaGradients(eps) : null, null, null, 0) : null;
            below = !needBelow ? null : bn.inputSignal(eps);
        } else if (lc instanceof ConvolutionLayer cl) {
            INDArray delta = convSignal(cl.getActivationFn(), ch.z(), eps, k);
            long cOut = delta.size(1);
            int positions = ch.positions();
            long d = ch.patches().size(1);
            INDArray d3 = delta.reshape('c', n, k * cOut, positions);
            INDArray g = null;
            INDArray signals = null;
            INDArray patches = null;
            if (trainW && forms[l] == Form.PATCHES) {
                signals = delta.reshape('c', n, k, cOut, positions).permute(0, 3, 1, 2).dup('c');
                patches = ch.patches().permute(0, 2, 1).dup('c').reshape('c', n * positions, d);
            } else if (trainW) {
                // G_i = delta_i [k C_out, P] x patches_i^T [P, D]: one batched GEMM, rows i k + c
                g = Nd4j.matmul(d3, ch.patches(), false, true, false);
                if (g.ordering() != 'c') {
                    g = g.dup('c');
                }
                g = g.reshape('c', n * k, cOut * d);
            }
            INDArray bias = trainB ? d3.sum(2).reshape('c', n * k, cOut) : null;
            terms[l] = trainW || trainB ? new Terms(null, null, g, bias, patches, signals, positions) : null;
            below = !needBelow ? null : convInputGradient(impl.getParam("W"), ch, delta);
            close(delta);
        } else if (needBelow) {
            // SubsamplingLayer, ActivationLayer: no parameters; DL4J's own backprop on the input repeated k times,
            // in chunks of examples (the repeated input and DL4J's temporaries at most COLUMN_BYTES at a time)
            below = chunkedBackprop(impl, lc instanceof ActivationLayer || PARAMETER_FREE.contains(lc.getClass()),
                    ch.input(), eps, n, k);
        } else {
            below = null;
        }
        if (eps != below && eps != kept) {
            close(eps);
        }
        return below;
    }

    /** @return {@code a} [n, ...] with every example repeated k times in a row: [n k, ...], row {@code i k + c} */
    static INDArray repeatRows(INDArray a, int k) {
        long n = a.size(0);
        long rest = a.length() / n;
        long[] shape = a.shape().clone();
        shape[0] = n * k;
        // one broadcast pass over contiguous memory (strided per-output assignments are several times slower)
        INDArray src = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        INDArray out = Nd4j.zeros(a.dataType(), n, k, rest).addi(src.reshape('c', n, 1, rest));
        return out.reshape('c', shape);
    }

    /**
     * @param z   pre-activations [n, ...]
     * @param eps {@code d f_c / d a} for the k outputs, [n k, ...]
     * @return {@code d f_c / d z}, [n k, ...], a new C-order array: an elementwise activation's derivative is
     *         computed once on z and broadcast over the k rows of each example; any other one back-propagates
     *         through z repeated k times
     */
    private static INDArray convSignal(IActivation activation, INDArray z, INDArray eps, int k) {
        long n = z.size(0);
        long m = z.length() / n;
        // eps is the path's own array (the signal from the layer above): modified in place when it is C-order
        INDArray e = eps.isView() || eps.ordering() != 'c' ? eps.dup('c') : eps;
        if (activation instanceof ActivationIdentity) {
            return e;
        }
        if (DenseNtk.ELEMENTWISE.contains(activation.getClass())) {
            INDArray derivative = activation.backprop(z.dup(), Nd4j.onesLike(z)).getFirst();
            e.reshape('c', n, k, m).muli(derivative.dup('c').reshape('c', n, 1, m));
            close(derivative);
            return e;
        }
        INDArray repeated = repeatRows(z, k);
        INDArray delta = activation.backprop(repeated, e).getFirst();
        return delta.ordering() == 'c' ? delta : delta.dup('c');
    }

    /**
     * A CnnLossLayer's signal {@code d f_c / d z} for every entry c of its [C, H, W] output (C order). DL4J applies the
     * layer's activation to each pixel's C channels (the 4-d array as [n H W, C] rows), so a softmax couples the
     * channels of one pixel only; an elementwise activation is broadcast as in {@link #convSignal}.
     *
     * @param z   the layer's input [n, C, H, W]
     * @param eps {@code d f_c / d output} [n k, C H W]
     * @return [n k, C, H, W]
     */
    private static INDArray pixelSignal(IActivation activation, INDArray z, INDArray eps, int k) {
        long n = z.size(0);
        long c = z.size(1);
        long h = z.size(2);
        long w = z.size(3);
        if (activation instanceof ActivationIdentity || DenseNtk.ELEMENTWISE.contains(activation.getClass())) {
            return convSignal(activation, z, eps.reshape('c', n * k, c, h, w), k);
        }
        // rows ((i, y, x), c) for DenseNtk.signal, whose z rows are the pixels (i, y, x)
        INDArray zRows = z.permute(0, 2, 3, 1).dup('c').reshape('c', n * h * w, c);
        INDArray e = eps.reshape('c', n, k, c, h, w).permute(0, 3, 4, 1, 2).dup('c').reshape('c', n * h * w * k, c);
        INDArray delta = DenseNtk.signal(activation, zRows, e, k);
        INDArray out = delta.reshape('c', n, h, w, k, c).permute(0, 3, 4, 1, 2).dup('c').reshape('c', n * k, c, h, w);
        close(zRows);
        close(e);
        close(delta);
        return out;
    }

    /**
     * Signal with respect to a convolution's input for all n k rows: {@code col2im(W^T Delta)}, the adjoint of the
     * forward pass's {@code im2col} and GEMM, with the same geometry (for Same mode on the explicitly padded input,
     * then cropped). One (D x C_out) x (C_out x n k P) GEMM whose [D, n k P] result, viewed as im2col's
     * [n k, C_in, kh, kw, oh, ow] layout (a permuted view, as DL4J's own ConvolutionLayer passes it), goes to one
     * col2im.
     *
     * @param w     the layer's weights [C_out, C_in, kh, kw]
     * @param ch    the layer's forward cache
     * @param delta {@code d f_c / d z} as [n k, C_out, oh, ow]
     * @return [n k, C_in, H, W], the shape of the layer's input repeated k times
     */
    private INDArray convInputGradient(INDArray w, Cache ch, INDArray delta) {
        ConvGeometry g = ch.geometry();
        long rows = delta.size(0);
        long cOut = w.size(0);
        long cIn = w.size(1);
        int kh = g.kernel()[0];
        int kw = g.kernel()[1];
        long positions = ch.positions();
        long d = cIn * kh * kw;
        // batched (D x C_out) x (C_out x P) products, W^T repeated over a chunk of rows (at most COLUMN_BYTES of
        // columns at a time), each chunk's columns in im2col's C-order layout straight into col2im
        long chunk = Math.max(1, Math.min(rows, columnBytes / (elementBytes() * d * positions)));
        INDArray wRep = repeatRows(w.dup('c').reshape('c', 1, cOut, d).permute(0, 2, 1).dup('c'), (int) chunk);
        INDArray d3 = delta.reshape('c', rows, cOut, positions);
        INDArray padded = Nd4j.zeros(type, rows, cIn, g.paddedH(), g.paddedW());
        for (long r0 = 0; r0 < rows; r0 += chunk) {
            long r1 = Math.min(rows, r0 + chunk);
            long c = r1 - r0;
            INDArray wr = c == chunk ? wRep : wRep.get(NDArrayIndex.interval(0, c), NDArrayIndex.all(),
                    NDArrayIndex.all());
            INDArray col = Nd4j.matmul(wr, d3.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all(),
                    NDArrayIndex.all()), false, false, false);
            if (col.ordering() != 'c') {
                col = col.dup('c');
            }
            INDArray part = rows == c ? padded : Nd4j.zeros(type, c, cIn, g.paddedH(), g.paddedW());
            // ND4J's col2im takes the image height and width where its parameter names say kH, kW (as DL4J's own
            // ConvolutionLayer calls it)
            Convolution.col2im(col.reshape('c', c, cIn, kh, kw, g.oh(), g.ow()), part, g.stride()[0],
                    g.stride()[1], g.ph(), g.pw(), (int) g.paddedH(), (int) g.paddedW(), g.dilation()[0],
                    g.dilation()[1]);
            close(col);
            if (part != padded) {
                padded.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                        .assign(part);
                close(part);
            }
        }
        close(wRep);
        INDArray input = ch.input();
        if (padded.size(2) == input.size(2) && padded.size(3) == input.size(3)) {
            return padded;
        }
        INDArray cropped = padded.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(g.top(), g.top() + input.size(2)),
                NDArrayIndex.interval(g.left(), g.left() + input.size(3))).dup('c');
        close(padded);
        return cropped;
    }

    /**
     * @return the signal below a parameter-free layer for all n k rows, by DL4J's backprop on chunks of examples
     *         whose input is repeated k times
     */
    private INDArray chunkedBackprop(Layer impl, boolean copyInput, INDArray input, INDArray eps, long n, int k) {
        long perExample = Math.max(1, input.length() / n) * k * elementBytes();
        long chunk = Math.max(1, Math.min(n, columnBytes / perExample));
        if (chunk >= n) {
            INDArray repeated = repeatRows(input, k);
            INDArray below = dl4jBackprop(impl, copyInput ? repeated.dup() : repeated, eps);
            close(repeated);
            return below;
        }
        long[] shape = input.shape().clone();
        shape[0] = n * k;
        INDArray below = Nd4j.createUninitialized(type, shape, 'c');
        for (long e0 = 0; e0 < n; e0 += chunk) {
            long e1 = Math.min(n, e0 + chunk);
            INDArray repeated = repeatRows(rows(input, e0, e1), k);
            INDArray part = dl4jBackprop(impl, copyInput ? repeated.dup() : repeated, rows(eps, e0 * k, e1 * k));
            indexRows(below, e0 * k, e1 * k).assign(part);
            close(repeated);
            close(part);
        }
        return below;
    }

    /** A view of rows [from, to) of an array of any rank. */
    private static INDArray indexRows(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int r = 1; r < idx.length; r++) {
            idx[r] = NDArrayIndex.all();
        }
        return a.get(idx);
    }

    /** Signal with respect to the layer's input, by DL4J's own implementation of the layer. */
    private INDArray dl4jBackprop(Layer impl, INDArray input, INDArray eps) {
        impl.setInput(input, mgr);
        INDArray below = impl.backpropGradient(eps, mgr).getSecond();
        return below.isView() || below.ordering() != 'c' || below == eps ? below.dup('c') : below;
    }
}
