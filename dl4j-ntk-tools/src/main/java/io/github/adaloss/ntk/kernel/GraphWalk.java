package io.github.adaloss.ntk.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The structured NTK path ({@link ConvNtk}) on a {@link ComputationGraph}: the forward pass and the batched backward
 * pass of all k outputs walk the graph's vertices in topological order and in reverse, and every layer vertex uses
 * {@link ConvNtk}'s per-layer maths (its factors, so its Gram contribution, are those of the same layer in a
 * MultiLayerNetwork). The kernel is the one {@link EmpiricalNtk} documents: the trace (or full, or one-output) kernel
 * of the network's single output, [n, n] (or [n k, n k], index {@code i k + c}).
 *
 * <p>Supported graphs: one network input and one network output; the output vertex is an OutputLayer,
 * CenterLossOutputLayer (the kernel of its {@code output()}: its center term and centers do not enter it) or LossLayer
 * (for a LossLayer, k is the nOut of the feed-forward layer feeding it); every other vertex is
 * <ul>
 *   <li>a layer vertex of a layer the structured MultiLayerNetwork path supports (ConvolutionLayer, SubsamplingLayer,
 *       BatchNormalization, DenseLayer, ActivationLayer, NCHW; FrozenLayerWithBackprop around one; parameters W, b
 *       (gamma, beta)), with no preprocessor or a CnnToFeedForward / FeedForwardToCnn one;</li>
 *   <li>or a parameter-free vertex: MergeVertex (on any axis but the batch axis), ElementWiseVertex (any op), SubsetVertex,
 *       ScaleVertex, ShiftVertex, L2NormalizeVertex.</li>
 * </ul>
 * The signal of a vertex that feeds several others is the sum of the signals they pass back. A parameter-free vertex
 * passes the signals of all n k rows back through DL4J's own implementation ({@code doForward} then
 * {@code doBackward} on its inputs repeated k times, so a product or max vertex sees the right values); a layer
 * vertex's preprocessor back-propagates as in a MultiLayerNetwork. Anything else is refused by
 * {@link #unsupportedReason} (and {@link EmpiricalNtk} then takes the generic path).
 */
final class GraphWalk {

    private final ConvNtk path;
    private final ComputationGraph copy;
    private final DataType type;
    private final GraphVertex[] vertices;
    private final int[] order;
    private final int outputVertex;
    private final int outputs;
    private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

    /**
     * @param path the structured path whose per-layer maths the walk uses
     * @param net  the user's graph (only read)
     * @param type the path's data type
     */
    GraphWalk(ConvNtk path, ComputationGraph net, DataType type) {
        String reason = unsupportedReason(net);
        if (reason != null) {
            throw new IllegalArgumentException("structured path: " + reason);
        }
        this.path = path;
        this.type = type;
        ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        conf.setDataType(type);
        for (org.deeplearning4j.nn.conf.graph.GraphVertex v : conf.getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                lv.getLayerConf().getLayer().setIDropout(null);
                if (lv.getLayerConf().getLayer() instanceof BaseLayer bl) {
                    bl.setWeightNoise(null);
                }
            }
        }
        this.copy = new ComputationGraph(conf);
        copy.init(net.params().castTo(type), true);
        copy.initGradientsView();
        this.vertices = copy.getVertices();
        this.order = copy.topologicalSortOrder();
        this.outputVertex = copy.getVertex(conf.getNetworkOutputs().get(0)).getVertexIndex();
        this.outputs = (int) outputCount(net.getConfiguration());
    }

    /** @return null if the walk supports {@code net}, else the reason it does not */
    static String unsupportedReason(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            return "the graph has " + conf.getNetworkInputs().size() + " inputs (the structured path takes one)";
        }
        if (conf.getNetworkOutputs().size() != 1) {
            return "the graph has " + conf.getNetworkOutputs().size() + " outputs (the structured path takes one)";
        }
        String out = conf.getNetworkOutputs().get(0);
        for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> e : conf.getVertices().entrySet()) {
            String name = e.getKey();
            org.deeplearning4j.nn.conf.graph.GraphVertex v = e.getValue();
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                org.deeplearning4j.nn.conf.layers.Layer l = lv.getLayerConf().getLayer();
                String reason = ConvNtk.layerReason("vertex '" + name + "'", l, lv.getPreProcessor(),
                        net.getLayer(name).paramTable().keySet());
                if (reason != null) {
                    return reason;
                }
                boolean outputLayer = l.getClass() == OutputLayer.class || l.getClass() == LossLayer.class
                        || l.getClass() == org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer.class
                        || l.getClass() == org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer.class
                        || l.getClass() == org.deeplearning4j.nn.conf.layers.CnnLossLayer.class;
                if (outputLayer != name.equals(out)) {
                    return outputLayer ? "vertex '" + name + "' (" + l.getClass().getSimpleName()
                            + ") is not the network output" : "the network output '" + name + "' is a "
                            + l.getClass().getSimpleName() + ", not an OutputLayer or LossLayer";
                }
            } else if (name.equals(out)) {
                return "the network output '" + name + "' is a " + v.getClass().getSimpleName();
            } else if (v instanceof MergeVertex m) {
                if (m.getMergeAxis() == 0) {
                    return "vertex '" + name + "' merges along the batch axis";
                }
            } else if (!(v instanceof ElementWiseVertex || v instanceof SubsetVertex || v instanceof ScaleVertex
                    || v instanceof ShiftVertex || v instanceof L2NormalizeVertex)) {
                return "vertex '" + name + "' is a " + v.getClass().getSimpleName();
            }
        }
        if (outputCount(conf) < 1 && !pixelOutputs(conf)) {
            return "the number of outputs of the LossLayer '" + out + "' is not known (it is not fed by a "
                    + "feed-forward layer with nOut)";
        }
        return null;
    }

    /** @return k: the output layer's nOut, or for a LossLayer that of the layer feeding it (-1 if unknown) */
    private static long outputCount(ComputationGraphConfiguration conf) {
        String name = conf.getNetworkOutputs().get(0);
        // through the LossLayer and the shape-keeping or channel-collapsing layers before it (activation,
        // dropout, global pooling) to the layer whose nOut is the number of outputs
        for (int hops = 0; hops < 6; hops++) {
            if (!(conf.getVertices().get(name) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)) {
                return -1;
            }
            org.deeplearning4j.nn.conf.layers.Layer l = DenseNtk.unwrap(lv.getLayerConf().getLayer());
            if (l instanceof FeedForwardLayer ff && !(l instanceof LossLayer)) {
                return ff.getNOut();
            }
            if (hops > 0 && !(l instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer
                    || l instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer
                    || l instanceof org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer)) {
                return -1;
            }
            List<String> inputs = conf.getVertexInputs().get(name);
            if (inputs == null || inputs.size() != 1) {
                return -1;
            }
            name = inputs.get(0);
        }
        return -1;
    }

    /** @return whether the network output is a CnnLossLayer (k = the C H W entries of its output) */
    private static boolean pixelOutputs(ComputationGraphConfiguration conf) {
        return conf.getVertices().get(conf.getNetworkOutputs().get(0))
                instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                && (lv.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer
                || lv.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer);
    }

    /** @return whether the network output is a CnnLossLayer */
    boolean pixelOutputs() {
        return pixelOutputs(copy.getConfiguration());
    }

    /** @return the vertex index of the network output */
    int outputVertex() {
        return outputVertex;
    }

    int outputs() {
        return outputs;
    }

    /** @return the number of vertices (the caches are indexed by vertex index) */
    int vertices() {
        return vertices.length;
    }

    void setParams(INDArray params) {
        copy.setParams(params);
    }

    /**
     * @param x      a batch (copied, never aliased)
     * @param verify check the path's own layer forward passes against DL4J's
     * @return per vertex index its cache: a layer vertex's {@link ConvNtk.Cache}; a parameter-free vertex's inputs
     *         and output; null for the input vertex
     */
    List<ConvNtk.Cache> forward(INDArray x, boolean verify) {
        int n = (int) x.size(0);
        INDArray[] outs = new INDArray[vertices.length];
        List<ConvNtk.Cache> cache = new ArrayList<>(Arrays.asList(new ConvNtk.Cache[vertices.length]));
        for (int v : order) {
            GraphVertex gv = vertices[v];
            if (gv.isInputVertex()) {
                INDArray a = x.dataType() == type ? x.dup('c') : x.castTo(type);
                outs[v] = a == x || a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
                continue;
            }
            VertexIndices[] in = gv.getInputVertices();
            INDArray[] inputs = new INDArray[in.length];
            for (int i = 0; i < in.length; i++) {
                inputs[i] = outs[in[i].getVertexIndex()];
            }
            if (gv.hasLayer()) {
                INDArray a = inputs[0];
                InputPreProcessor pp = ((LayerVertex) gv).getLayerPreProcessor();
                if (pp != null) {
                    a = pp.preProcess(a, n, mgr);
                    if (a.isView() || a.ordering() != 'c') {
                        a = a.dup('c');
                    }
                }
                ConvNtk.Cache c = path.layerForward(gv.getLayer(), v, a, verify);
                cache.set(v, c);
                outs[v] = c.output();
            } else {
                INDArray out = vertexForward(gv, inputs);
                cache.set(v, new ConvNtk.Cache(inputs[0], null, null, 0, null, out.length(), out, inputs));
                outs[v] = out;
            }
        }
        return cache;
    }

    /** A parameter-free vertex's output by DL4J's implementation, a new C-order array. */
    private INDArray vertexForward(GraphVertex gv, INDArray[] inputs) {
        gv.setInputs(inputs);
        INDArray out = gv.doForward(false, mgr);
        for (INDArray i : inputs) {
            if (out == i || out.data() == i.data()) {
                return out.dup('c');
            }
        }
        return out.isView() || out.ordering() != 'c' ? out.dup('c') : out;
    }

    /**
     * The batched backward pass of all requested outputs (rows {@code i k + c}) in reverse topological order.
     *
     * @return per vertex index the trainable factors of its layer (null for others)
     */
    List<ConvNtk.Terms> backward(List<ConvNtk.Cache> cache, long n, int[] outputsToUse) {
        int k = outputsToUse.length;
        ConvNtk.Terms[] terms = new ConvNtk.Terms[vertices.length];
        INDArray[] eps = new INDArray[vertices.length];
        long width = pixelOutputs() ? cache.get(outputVertex).output().length() / n : outputs;
        INDArray start = Nd4j.zeros(type, n * k, width);
        INDArray start3 = start.reshape('c', n, k, width);
        for (int ci = 0; ci < k; ci++) {
            start3.get(NDArrayIndex.all(), NDArrayIndex.point(ci), NDArrayIndex.point(outputsToUse[ci])).assign(1.0);
        }
        eps[outputVertex] = start;
        for (int t = order.length - 1; t >= 0; t--) {
            int v = order[t];
            GraphVertex gv = vertices[v];
            INDArray e = eps[v];
            eps[v] = null;
            if (e == null || gv.isInputVertex()) {
                continue;
            }
            VertexIndices[] in = gv.getInputVertices();
            if (gv.hasLayer()) {
                int below = in[0].getVertexIndex();
                boolean needBelow = !vertices[below].isInputVertex();
                INDArray signal = path.layerBackward(gv.getLayer(), v, cache.get(v), e, n, k, needBelow, terms);
                if (signal == null || !needBelow) {
                    continue;
                }
                InputPreProcessor pp = ((LayerVertex) gv).getLayerPreProcessor();
                if (pp != null) {
                    signal = pp.backprop(signal, (int) (n * k), mgr);
                }
                accumulate(eps, below, signal, true);
            } else {
                ConvNtk.Cache c = cache.get(v);
                INDArray[] repeated = new INDArray[c.inputs().length];
                for (int i = 0; i < repeated.length; i++) {
                    repeated[i] = ConvNtk.repeatRows(c.inputs()[i], k);
                }
                gv.setInputs(repeated);
                gv.doForward(false, mgr);
                gv.setEpsilon(e);
                INDArray[] signals = gv.doBackward(false, mgr).getSecond();
                for (int i = 0; i < in.length; i++) {
                    if (!vertices[in[i].getVertexIndex()].isInputVertex()) {
                        accumulate(eps, in[i].getVertexIndex(), signals[i], false);
                    }
                }
            }
        }
        return new ArrayList<>(Arrays.asList(terms));
    }

    /**
     * Adds a signal to a vertex's: the first one is kept ({@code owned}: the path's own array, used only here) or
     * copied; later ones are added to it.
     */
    private static void accumulate(INDArray[] eps, int v, INDArray signal, boolean owned) {
        if (eps[v] == null) {
            eps[v] = owned && !signal.isView() && signal.ordering() == 'c' ? signal : signal.dup('c');
        } else {
            eps[v].addi(signal);
        }
    }
}
