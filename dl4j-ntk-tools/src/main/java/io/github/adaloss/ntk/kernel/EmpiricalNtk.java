package io.github.adaloss.ntk.kernel;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact empirical neural tangent kernel of a DL4J network with respect to its trainable parameters (those
 * whose updater is not NoOp: frozen layers and BatchNorm running statistics do not count).
 *
 * <p>It is the kernel of the network as it predicts, {@code output(x, false)}: dropout and weight noise off, and
 * BatchNormalization in inference mode, with its running mean and variance (the affine map
 * {@code gamma (x - mu) / sqrt(v + eps) + beta} per channel; what {@code torch.func} differentiates for a module in
 * eval mode), on all three paths; its gamma and beta are trainable parameters unless frozen or locked, its running
 * statistics are not (checked against finite differences of {@code output(x, false)} in the tests).
 *
 * <p>For inputs {@code x_1..x_n} and outputs {@code f_1..f_k} of {@code net.output(x)} (after the output
 * activation), with {@code J} the (n k) x P Jacobian. When one example's output is a tensor (CnnLossLayer: [C, H, W]
 * or [H, W, C] as the layer's format says, RnnOutputLayer / RnnLossLayer: [units, T], Cnn3DLossLayer), its k
 * outputs are all its entries, flattened in C order of that per-example array (NCHW: {@code c H W + h W + w}; RNN:
 * {@code unit T + t}); a ComputationGraph with several outputs concatenates them in output order. So the trace
 * kernel sums over output units AND positions / time steps, the full kernel is per output unit and position, and
 * {@link Builder#output(int)} picks one flat entry:
 * <ul>
 *   <li>trace kernel (default), [n, n]: {@code Theta_ij = sum_c <d f_c(x_i)/d theta, d f_c(x_j)/d theta>}; for
 *       one output this is the exact kernel;</li>
 *   <li>one output c, [n, n]: {@code Theta_ij = <d f_c(x_i)/d theta, d f_c(x_j)/d theta>};</li>
 *   <li>full kernel, [n k, n k], row/column index {@code i * k + c}: {@code J J^T};</li>
 *   <li>train x test blocks: {@link #compute(INDArray, INDArray)}, [n1, n2] (or [n1 k, n2 k]).</li>
 * </ul>
 * Two exact implementations, checked against each other and against finite differences in the tests: a fast
 * dense path ({@link DenseNtk}: stacks of dense layers, never forms per-example Jacobians) and a generic
 * per-example path ({@link PerExampleNtk}: any layer, tiled in a memory budget checked before
 * allocating; output layers OutputLayer, RnnOutputLayer, CenterLossOutputLayer (the kernel of its output, without
 * the center term), LossLayer, CnnLossLayer, RnnLossLayer, Cnn3DLossLayer; any other output layer is rejected with an
 * {@link UnsupportedOperationException} naming it). {@link Method#AUTO} takes the dense path whenever it applies and otherwise falls back to the
 * generic one (never silently to something approximate); a dense layer with parameters other than W and b (e.g.
 * {@code DenseLayer.hasLayerNorm(true)}, gain "g") is not supported by the dense path. A third exact path,
 * {@link Method#STRUCTURED} ({@link ConvNtk}), handles convolutional MultiLayerNetworks (convolution, subsampling,
 * BatchNormalization, dense layers) from batch activations and back-propagated signals, and ComputationGraphs with
 * one input and one OutputLayer / CenterLossOutputLayer / LossLayer / CnnLossLayer / Yolo2OutputLayer output (the
 * YOLO head's activated predictions, {@link YoloOutput}; only this path takes it) made of the same layers and of
 * MergeVertex, ElementWiseVertex, SubsetVertex, ScaleVertex, ShiftVertex and L2NormalizeVertex ({@link GraphWalk}: the signals walk the graph in reverse topological
 * order, summed where a vertex feeds several; same kernel shapes as below), and recurrent MultiLayerNetworks of LSTM,
 * GravesLSTM, SimpleRnn and an RnnOutputLayer ({@link RecurrentLayers}: back-propagation through time of all outputs
 * at once, the time steps as positions); AUTO takes it when the dense path does not apply, and falls back to the generic path (reason logged at debug level) for any other network.
 *
 * <p>Precision. Results are DOUBLE arrays. The dense path stays in the network's precision: for a FLOAT network
 * its forward pass, signals and n x n products run in float (float GEMMs), and only the sums over layers and outputs
 * are accumulated in double; for any other type, and with {@link Builder#doublePrecision()}, everything runs in
 * double. Measured on the 784-1024-1024-1 MLP (n = 1000, see docs/benchmarks-ntk.md) the float kernel differs from
 * the double one by 8e-8 relative (Frobenius), lambda_min by 9e-7 relative (condition number 8e3). For a symmetric trace kernel the dense path computes only the
 * blocks on and below the diagonal (from 128 rows on; 4 row blocks up to n = 1024, blocks of 256 rows beyond) and
 * mirrors them: 5/8 of the multiply-adds of the n x n products with 4 blocks, about half for large n (ND4J's
 * {@code syrk} wrapper is not usable: it passes K = 1 to BLAS). The signals of all k outputs are back-propagated
 * together, as one (n k)-row GEMM per layer, and the trace over outputs is one n x n product per layer. The structured path stays in the
 * network's precision the same way (float forward pass, signals, per-example gradients and products for a FLOAT
 * network, the sum over layers in double; all k outputs back-propagated together; see {@link ConvNtk}); the generic path back-propagates in the network's own data type (for a FLOAT network
 * its kernel is float-accurate, about 1e-7 relative) and accumulates in double. The network is only read.
 */
public final class EmpiricalNtk {

    private static final Logger log = LoggerFactory.getLogger(EmpiricalNtk.class);

    /** Which implementation to use. */
    public enum Method {
        /**
         * The dense path when the network qualifies, else the structured convolutional path when it qualifies, else
         * the generic path.
         */
        AUTO,
        /** The dense path; an {@link IllegalArgumentException} if the network does not qualify. */
        DENSE,
        /**
         * The structured path ({@link ConvNtk}: MultiLayerNetworks of convolution, subsampling, BatchNormalization
         * and dense layers; ComputationGraphs of those and of merge, element-wise, subset, scale, shift and L2-normalize vertices,
         * see {@link GraphWalk}; recurrent MultiLayerNetworks, see {@link RecurrentLayers}); an {@link IllegalArgumentException} with the reason if the network does not
         * qualify.
         */
        STRUCTURED,
        /** The generic per-example path. */
        GENERIC
    }

    private final Model net;
    private final Integer output;
    private final boolean full;
    private final Method method;
    private final long memoryBudgetBytes;
    private final boolean doublePrecision;
    private PerExampleNtk generic;
    private ConvNtk structured;

    private EmpiricalNtk(Builder b) {
        this.net = b.net;
        this.output = b.output;
        this.full = b.full;
        this.memoryBudgetBytes = b.memoryBudgetBytes;
        this.doublePrecision = b.doublePrecision;
        String reason = net instanceof MultiLayerNetwork mln ? DenseNtk.unsupportedReason(mln)
                : "it is a ComputationGraph";
        String structuredReason = net instanceof MultiLayerNetwork mln ? ConvNtk.unsupportedReason(mln)
                : GraphWalk.unsupportedReason((ComputationGraph) net);
        if (b.method == Method.DENSE && reason != null) {
            throw new IllegalArgumentException("method DENSE is not applicable: " + reason);
        }
        if (b.method == Method.STRUCTURED && structuredReason != null) {
            throw new IllegalArgumentException("method STRUCTURED is not applicable: " + structuredReason);
        }
        if (b.method == Method.AUTO) {
            this.method = reason == null ? Method.DENSE : structuredReason == null ? Method.STRUCTURED
                    : Method.GENERIC;
            if (method == Method.GENERIC) {
                log.debug("EmpiricalNtk: generic per-example path because {} (dense) and {} (structured)", reason,
                        structuredReason);
            }
        } else {
            this.method = b.method;
        }
    }

    /**
     * The trace kernel of {@code net} on {@code features}.
     *
     * @param net      a MultiLayerNetwork or ComputationGraph
     * @param features [n, ...] inputs as the network takes them
     * @return [n, n] DOUBLE
     */
    public static INDArray gram(Model net, INDArray features) {
        return builder(net).build().compute(features);
    }

    /**
     * @param net a MultiLayerNetwork or ComputationGraph
     * @return a builder
     */
    public static Builder builder(Model net) {
        return new Builder(net);
    }

    /** @return true if this instance uses the dense path */
    public boolean usesDensePath() {
        return method == Method.DENSE;
    }

    /** @return the implementation this instance uses (AUTO resolved) */
    public Method method() {
        return method;
    }

    /**
     * @param features [n, ...]
     * @return the kernel on {@code features} ([n, n], or [n k, n k] for the full kernel)
     */
    public INDArray compute(INDArray features) {
        return compute(features, features);
    }

    /**
     * @param x1 [n1, ...]
     * @param x2 [n2, ...]
     * @return the cross kernel ([n1, n2], or [n1 k, n2 k] for the full kernel)
     */
    public INDArray compute(INDArray x1, INDArray x2) {
        validate(x1, "x1");
        if (x2 != x1) {
            validate(x2, "x2");
        }
        int k;
        if (method == Method.DENSE) {
            DenseNtk dense = DenseNtk.of((MultiLayerNetwork) net, doublePrecision);
            k = dense.outputs();
            return dense.kernel(x1, x2, outputs(k), full);
        }
        if (method == Method.STRUCTURED) {
            if (structured == null) {
                structured = ConvNtk.of(net, doublePrecision, memoryBudgetBytes);
            }
            k = structured.outputs(x1);
            return structured.kernel(x1, x2, outputs(k), full);
        }
        if (generic == null) {
            generic = new PerExampleNtk(net, memoryBudgetBytes);
        }
        k = generic.outputs(x1);
        return generic.kernel(x1, x2, outputs(k), full);
    }

    private int[] outputs(int k) {
        if (output == null) {
            int[] all = new int[k];
            for (int c = 0; c < k; c++) {
                all[c] = c;
            }
            return all;
        }
        if (output >= k) {
            throw new IllegalArgumentException("output must be in [0, " + k + "), got " + output);
        }
        return new int[] {output};
    }

    private void validate(INDArray x, String name) {
        validateFeatures(net, x, name);
    }

    /** Checks a batch of inputs of {@code net}; an IllegalArgumentException naming {@code name} if it is unusable. */
    static void validateFeatures(Model net, INDArray x, String name) {
        if (x == null || x.rank() < 2) {
            throw new IllegalArgumentException(name + " must be an array [n, ...] of at least rank 2, got "
                    + (x == null ? "null" : Arrays.toString(x.shape())));
        }
        if (x.size(0) == 0) {
            throw new IllegalArgumentException(name + " is empty: the probe set needs at least one example");
        }
        if (!x.dataType().isFPType()) {
            throw new IllegalArgumentException(name + " must be floating point, got " + x.dataType());
        }
        double sum = x.sumNumber().doubleValue();
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException(name + " has NaN or infinite values");
        }
        long expected = expectedFeatures(net);
        if (x.rank() == 2 && expected > 0 && x.size(1) != expected) {
            throw new IllegalArgumentException(name + " has " + x.size(1) + " features per example but the network "
                    + "expects " + expected);
        }
    }

    private static long expectedFeatures(Model net) {
        // FrozenLayer and FrozenLayerWithBackprop wrap the layer whose nIn counts
        if (net instanceof MultiLayerNetwork mln && mln.getLayerWiseConfigurations().getInputPreProcess(0) == null
                && DenseNtk.unwrap(mln.getLayerWiseConfigurations().getConf(0).getLayer()) instanceof FeedForwardLayer ff) {
            return ff.getNIn();
        }
        return -1;
    }

    /** Builder of an {@link EmpiricalNtk}. */
    public static final class Builder {
        private final Model net;
        private Integer output;
        private boolean full;
        private Method method = Method.AUTO;
        private long memoryBudgetBytes = Runtime.getRuntime().maxMemory() / 4;
        private boolean doublePrecision;

        private Builder(Model net) {
            if (!(net instanceof MultiLayerNetwork || net instanceof ComputationGraph)) {
                throw new IllegalArgumentException("net must be a MultiLayerNetwork or ComputationGraph, got "
                        + (net == null ? "null" : net.getClass().getName()));
            }
            this.net = net;
        }

        /** @param c the one output to use (0-based) @return this */
        public Builder output(int c) {
            if (c < 0) {
                throw new IllegalArgumentException("output must be non-negative, got " + c);
            }
            this.output = c;
            return this;
        }

        /** Full (n k) x (n k) kernel instead of the trace over outputs. @return this */
        public Builder fullKernel() {
            this.full = true;
            return this;
        }

        /** @param value the implementation (default AUTO) @return this */
        public Builder method(Method value) {
            if (value == null) {
                throw new IllegalArgumentException("method must not be null");
            }
            this.method = value;
            return this;
        }

        /**
         * @param bytes working memory of the generic path's Jacobian tiles and of the structured path's tiles of
         *              examples (default: a quarter of the JVM's max memory)
         * @return this
         */
        public Builder memoryBudgetBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memoryBudgetBytes must be positive, got " + bytes);
            }
            this.memoryBudgetBytes = bytes;
            return this;
        }

        /**
         * The dense and structured paths in double precision also for a FLOAT network (default: the network's
         * precision, see the class documentation).
         *
         * @return this
         */
        public Builder doublePrecision() {
            this.doublePrecision = true;
            return this;
        }

        /** @return the configured kernel */
        public EmpiricalNtk build() {
            return new EmpiricalNtk(this);
        }
    }
}
