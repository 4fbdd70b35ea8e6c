package io.github.adaloss.ntk.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The generic exact NTK path: rows of the Jacobian {@code J} ((n k) x P, trainable parameters only) from
 * per-example back-propagation on a private copy of the network whose output loss is replaced by
 * {@link OutputEpsilonLoss} and whose dropout and weight noise are removed (so the kernel is that of
 * {@code output()}; RReLU is rejected, see {@link ActivationSupport}), then {@code Theta = J J^T}. The user's network is only read: its parameters are copied into
 * the private copy before each computation (DL4J-NOTES: calling {@code computeGradientAndScore} on a training
 * network corrupts its gradient view).
 *
 * <p>Memory: {@code J} is built in tiles of t examples so that the result matrix, two tiles (2 t k P doubles)
 * and their product ((t k)^2 doubles) fit in the budget; the need is checked before anything is allocated, and an
 * {@link IllegalStateException} names the estimate when even t = 1 does not fit. The budget counts only these
 * arrays, not DL4J's own forward/backward working memory for one example. Cost: n k backward passes for one tile, more when tiles are recomputed, plus
 * {@code (n k)^2 P} multiply-adds. BatchNormalization: DL4J back-propagates only in training mode, where BatchNorm
 * would use the statistics of the one-example batch; the copy replaces each BatchNormalization by
 * {@link InferenceBatchNormLayer}, which always uses the running statistics and back-propagates that affine map
 * ({@link BatchNormInference}), so the kernel is that of {@code output()} with gamma/beta as parameters.
 */
final class PerExampleNtk {

    private static final long BYTES_PER_DOUBLE = 8;
    private static final Set<Class<?>> HANDLED_OUTPUTS = Set.of(OutputLayer.class, RnnOutputLayer.class,
            CenterLossOutputLayer.class, LossLayer.class, CnnLossLayer.class, RnnLossLayer.class,
            Cnn3DLossLayer.class);

    private final Model original;
    private final Model copy;
    private final TrainableParameters trainable;
    private final long memoryBudgetBytes;

    PerExampleNtk(Model net, long memoryBudgetBytes) {
        this.original = net;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.trainable = new TrainableParameters(net);
        INDArray params = net.params().dup();
        if (net instanceof MultiLayerNetwork mln) {
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(mln.getLayerWiseConfigurations().toJson());
            // the kernel of output(): the whole sequence's gradient, not a TruncatedBPTT segment of it
            conf.setBackpropType(org.deeplearning4j.nn.conf.BackpropType.Standard);
            for (NeuralNetConfiguration c : conf.getConfs()) {
                c.setLayer(prepare(c.getLayer()));
            }
            MultiLayerNetwork m = new MultiLayerNetwork(conf);
            m.init(params, false);
            checkOutputs(m);
            this.copy = m;
        } else if (net instanceof ComputationGraph cg) {
            ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(cg.getConfiguration().toJson());
            conf.setBackpropType(org.deeplearning4j.nn.conf.BackpropType.Standard);
            for (GraphVertex v : conf.getVertices().values()) {
                if (v instanceof LayerVertex lv) {
                    lv.getLayerConf().setLayer(prepare(lv.getLayerConf().getLayer()));
                }
            }
            ComputationGraph g = new ComputationGraph(conf);
            g.init(params, false);
            checkOutputs(g);
            this.copy = g;
        } else {
            throw new IllegalArgumentException("net must be a MultiLayerNetwork or ComputationGraph, got "
                    + net.getClass().getName());
        }
    }

    /**
     * Prepares one layer configuration of the private copy.
     *
     * @return the layer to use in the copy: {@code layer} itself, or for a BatchNormalization its inference-mode
     *         replacement {@link InferenceBatchNormLayer}
     */
    private static Layer prepare(Layer layer) {
        if (layer instanceof BatchNormalization bn) {
            String reason = BatchNormInference.unsupportedReason(bn);
            if (reason != null) {
                throw new UnsupportedOperationException("EmpiricalNtk: " + reason);
            }
            if (bn.getClass() != BatchNormalization.class) {
                throw new UnsupportedOperationException("EmpiricalNtk: layer '" + bn.getLayerName() + "' ("
                        + bn.getClass().getName() + ") is a subclass of BatchNormalization, which may compute "
                        + "differently; only BatchNormalization itself is supported");
            }
            layer = InferenceBatchNormLayer.of(bn);
        }
        layer.setIDropout(null);
        String activation = ActivationSupport.unsupportedReason(layer);
        if (activation != null) {
            throw new UnsupportedOperationException("EmpiricalNtk: " + activation);
        }
        if (layer instanceof BaseLayer bl) {
            bl.setWeightNoise(null);
        }
        replaceLoss(layer);
        if (layer instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) {
            w.setUnderlying(prepare(w.getUnderlying()));
        }
        return layer;
    }

    /**
     * Replaces the loss of an output layer by {@link OutputEpsilonLoss}, so that back-propagating a one-hot "label"
     * gives one Jacobian row. Handled: OutputLayer, RnnOutputLayer, LossLayer, CnnLossLayer, RnnLossLayer,
     * Cnn3DLossLayer (their implementations hand the loss function the labels and pre-outputs reshaped to 2-d,
     * element for element, which is all {@link OutputEpsilonLoss} needs), and CenterLossOutputLayer with its
     * center term switched off ({@code lambda = 0}: the term adds {@code lambda (x - c_y)} to the back-propagated
     * signal but does not enter {@code output()}; its centers have a NoOp updater and are not trainable
     * parameters). Exact classes only: a subclass may compute its gradient differently.
     *
     * @throws UnsupportedOperationException for any other output layer (e.g. Yolo2OutputLayer, OCNNOutputLayer,
     *                                       SameDiffOutputLayer), naming the layer and its class
     */
    private static void replaceLoss(Layer layer) {
        Class<?> c = layer.getClass();
        if (c == OutputLayer.class || c == RnnOutputLayer.class) {
            ((BaseOutputLayer) layer).setLossFn(new OutputEpsilonLoss());
        } else if (c == CenterLossOutputLayer.class) {
            CenterLossOutputLayer center = (CenterLossOutputLayer) layer;
            center.setLossFn(new OutputEpsilonLoss());
            center.setLambda(0.0);
        } else if (c == LossLayer.class) {
            ((LossLayer) layer).setLossFn(new OutputEpsilonLoss());
        } else if (c == CnnLossLayer.class) {
            ((CnnLossLayer) layer).setLossFn(new OutputEpsilonLoss());
        } else if (c == RnnLossLayer.class) {
            ((RnnLossLayer) layer).setLossFn(new OutputEpsilonLoss());
        } else if (c == Cnn3DLossLayer.class) {
            ((Cnn3DLossLayer) layer).setLossFn(new OutputEpsilonLoss());
        } else if (layer instanceof BaseOutputLayer || layer instanceof LossLayer || layer instanceof CnnLossLayer
                || layer instanceof RnnLossLayer || layer instanceof Cnn3DLossLayer
                || layer instanceof org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer
                || layer instanceof org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer) {
            throw unsupportedOutput(layer.getLayerName(), c);
        }
    }

    private static UnsupportedOperationException unsupportedOutput(String name, Class<?> c) {
        return new UnsupportedOperationException("EmpiricalNtk: output layer '" + name + "' (" + c.getName()
                + ") is not supported by the generic path; supported output layers: OutputLayer, RnnOutputLayer, "
                + "CenterLossOutputLayer, LossLayer, CnnLossLayer, RnnLossLayer, Cnn3DLossLayer");
    }

    /**
     * Every output of the copy must be one of the layers {@link #replaceLoss} handled (an unknown
     * {@code IOutputLayer} implementation, or a network that does not end in an output layer, is rejected).
     */
    private static void checkOutputs(Model copy) {
        List<org.deeplearning4j.nn.api.Layer> outputs = new ArrayList<>();
        if (copy instanceof MultiLayerNetwork m) {
            outputs.add(m.getOutputLayer());
        } else {
            ComputationGraph g = (ComputationGraph) copy;
            for (String name : g.getConfiguration().getNetworkOutputs()) {
                org.deeplearning4j.nn.api.Layer l = g.getLayer(name);
                if (l == null) {
                    throw new UnsupportedOperationException("EmpiricalNtk: network output '" + name + "' is a "
                            + "vertex, not an output layer; DL4J back-propagates only from output layers");
                }
                outputs.add(l);
            }
        }
        for (org.deeplearning4j.nn.api.Layer l : outputs) {
            Layer conf = l.conf().getLayer();
            if (!(l instanceof IOutputLayer)) {
                throw new UnsupportedOperationException("EmpiricalNtk: the last layer '" + conf.getLayerName() + "' ("
                        + conf.getClass().getName() + ") is not an output layer; DL4J back-propagates only from "
                        + "output layers (end the network with e.g. an OutputLayer or LossLayer)");
            }
            if (!HANDLED_OUTPUTS.contains(conf.getClass())) {
                throw unsupportedOutput(conf.getLayerName(), conf.getClass());
            }
        }
    }

    /** @return number of trainable parameters P */
    long parameterCount() {
        return trainable.count;
    }

    /** @return per-example output shapes of the original network, one per output array */
    private long[][] outputShapes(INDArray x) {
        INDArray one = example(x, 0);
        if (original instanceof MultiLayerNetwork mln) {
            return new long[][] {mln.output(one).shape()};
        }
        INDArray[] outs = ((ComputationGraph) original).output(one);
        long[][] shapes = new long[outs.length][];
        for (int i = 0; i < outs.length; i++) {
            shapes[i] = outs[i].shape();
        }
        return shapes;
    }

    /** @return total number of outputs k per example */
    int outputs(INDArray x) {
        long k = 0;
        for (long[] s : outputShapes(x)) {
            k += Arrays.stream(s).reduce(1, (a, b) -> a * b);
        }
        return Math.toIntExact(k);
    }

    private static INDArray example(INDArray x, long i) {
        INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
        idx[0] = NDArrayIndex.interval(i, i + 1);
        for (int r = 1; r < idx.length; r++) {
            idx[r] = NDArrayIndex.all();
        }
        return x.get(idx).dup();
    }

    /**
     * @return kernel as {@link DenseNtk#kernel}: full (n1 k) x (n2 k) indexed {@code i * k + c}, or summed over
     *         the outputs
     */
    INDArray kernel(INDArray x1, INDArray x2, int[] outputsToUse, boolean full) {
        boolean same = x1 == x2;
        long n1 = x1.size(0);
        long n2 = x2.size(0);
        int k = outputsToUse.length;
        long p = Math.max(1, trainable.count);
        long rowBytes = k * p * BYTES_PER_DOUBLE;
        long resultBytes = (full ? n1 * k * n2 * k : n1 * n2) * BYTES_PER_DOUBLE;
        long tile = tileSize(memoryBudgetBytes, resultBytes, rowBytes, k, Math.max(n1, n2));
        if (tile < 1) {
            throw new IllegalStateException(String.format("EmpiricalNtk (per-example path) needs at least %,d bytes: "
                    + "%,d for the result (%s) plus %,d for two examples' Jacobian rows (%d outputs x %,d trainable "
                    + "parameters x 8 bytes x 2) and their product, but the memory budget is %,d bytes; raise "
                    + "memoryBudgetBytes, use fewer probe examples or fewer outputs",
                    resultBytes + need(1, rowBytes, k), resultBytes, full ? "full kernel" : "n1 x n2",
                    need(1, rowBytes, k), k, p, memoryBudgetBytes));
        }
        long[][] shapes = outputShapes(x1);
        copy.setParams(original.params());
        INDArray result = full ? Nd4j.zeros(DataType.DOUBLE, n1 * k, n2 * k) : Nd4j.zeros(DataType.DOUBLE, n1, n2);
        for (long i0 = 0; i0 < n1; i0 += tile) {
            long i1 = Math.min(n1, i0 + tile);
            INDArray ji = jacobian(x1, i0, i1, outputsToUse, shapes);
            for (long j0 = same ? i0 : 0; j0 < n2; j0 += tile) {
                long j1 = Math.min(n2, j0 + tile);
                INDArray jj = same && j0 == i0 ? ji : jacobian(x2, j0, j1, outputsToUse, shapes);
                INDArray block = ji.mmul(jj.transpose());
                write(result, block, i0, j0, k, full);
                if (same && j0 != i0) {
                    write(result, block.transpose(), j0, i0, k, full);
                }
                release(block);
                if (jj != ji) {
                    release(jj);
                }
            }
            release(ji);
        }
        return result;
    }

    /**
     * Frees a temporary's off-heap buffer now. The Jacobian tiles are gigabytes off-heap but tiny on the Java heap,
     * so without this the garbage collector sees no reason to run and repeated calls (a listener computing the
     * kernel every N iterations) pile up native memory until the OS kills the process.
     */
    private static void release(INDArray a) {
        if (a != null && a.closeable()) {
            a.close();
        }
    }

    /** Bytes for two tiles of t examples' Jacobian rows and their (t k) x (t k) product. */
    private static long need(long t, long rowBytes, int k) {
        return 2 * t * rowBytes + t * k * t * k * BYTES_PER_DOUBLE;
    }

    /** @return the largest tile (at most {@code n}) that fits next to the result, or 0 if none does */
    private static long tileSize(long budget, long resultBytes, long rowBytes, int k, long n) {
        long available = budget - resultBytes;
        long t = Math.min(n, Math.max(0, available / (2 * rowBytes)));
        while (t > 0 && need(t, rowBytes, k) > available) {
            t--;
        }
        return t;
    }

    /**
     * Writes one tile of {@code J_i J_j^T} into the result through views (no per-element calls): the full kernel
     * takes the tile as it is, the trace kernel the sum of its k strided diagonal sub-blocks (output a with a).
     */
    private static void write(INDArray result, INDArray block, long i0, long j0, int k, boolean full) {
        long bi = block.rows() / k;
        long bj = block.columns() / k;
        if (full) {
            result.get(NDArrayIndex.interval(i0 * k, (i0 + bi) * k), NDArrayIndex.interval(j0 * k, (j0 + bj) * k))
                    .assign(block);
            return;
        }
        // block[i * k + a, j * k + b] = blocks4[i, a, j, b] in c order (block may be a transposed view: copy)
        INDArray blocks4 = block.dup('c').reshape('c', bi, k, bj, k);
        INDArray target = result.get(NDArrayIndex.interval(i0, i0 + bi), NDArrayIndex.interval(j0, j0 + bj));
        target.assign(0.0);
        for (int a = 0; a < k; a++) {
            target.addi(blocks4.get(NDArrayIndex.all(), NDArrayIndex.point(a), NDArrayIndex.all(),
                    NDArrayIndex.point(a)));
        }
    }

    /** Rows {@code (i - from) * k + c} = d f_c(x_i) / d theta over the trainable parameters. */
    private INDArray jacobian(INDArray x, long from, long to, int[] outputsToUse, long[][] shapes) {
        int k = outputsToUse.length;
        INDArray j = Nd4j.zeros(DataType.DOUBLE, (to - from) * k, Math.max(1, trainable.count));
        for (long i = from; i < to; i++) {
            INDArray xi = example(x, i);
            for (int ci = 0; ci < k; ci++) {
                INDArray g = gradient(xi, outputsToUse[ci], shapes);
                INDArray row = j.getRow((i - from) * k + ci);
                long dst = 0;
                for (long[] r : trainable.ranges) {
                    long len = r[1] - r[0];
                    row.get(NDArrayIndex.interval(dst, dst + len)).assign(g.get(NDArrayIndex.interval(r[0], r[1])));
                    dst += len;
                }
                release(g);
            }
        }
        return j;
    }

    private INDArray gradient(INDArray xi, int output, long[][] shapes) {
        INDArray[] labels = new INDArray[shapes.length];
        long remaining = output;
        for (int o = 0; o < shapes.length; o++) {
            long len = Arrays.stream(shapes[o]).reduce(1, (a, b) -> a * b);
            INDArray lab = Nd4j.zeros(DataType.DOUBLE, len);
            if (remaining >= 0 && remaining < len) {
                lab.putScalar(remaining, 1.0);
            }
            remaining -= len;
            labels[o] = lab.reshape(shapes[o]);
        }
        if (copy instanceof MultiLayerNetwork m) {
            m.setInput(xi);
            m.setLabels(labels[0].castTo(xi.dataType()));
            m.computeGradientAndScore();
            return m.gradient().gradient().reshape(m.numParams()).castTo(DataType.DOUBLE);
        }
        ComputationGraph g = (ComputationGraph) copy;
        g.setInputs(xi);
        for (int o = 0; o < labels.length; o++) {
            labels[o] = labels[o].castTo(xi.dataType());
        }
        g.setLabels(labels);
        g.computeGradientAndScore();
        return g.gradient().gradient().reshape(g.numParams()).castTo(DataType.DOUBLE);
    }
}
