package io.github.adaloss.bench.ntk;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.helper.InceptionResNetHelper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Why the structured and generic kernels of an untrained zoo graph can disagree, measured: the two paths' trace
 * kernels of a probe of 2 (as {@link ZooNtkCost}) in the network's float, in double, and in double after
 * BatchNormalization's running statistics are set to the statistics of its input on 4 images (one BatchNorm at a
 * time in topological order, each from an inference pass through the ones already set). With the initial statistics (mean 0, variance 1) the
 * activations of a deep BatchNorm graph can grow by orders of magnitude from block to block, and so does the kernel;
 * the relative difference of the two exact paths then measures the conditioning of that computation, not an error
 * of either.
 *
 * <p>Then the same two paths on each of the zoo's three Inception-ResNet block types alone (DL4J's
 * {@code InceptionResNetHelper.inceptionV1ResA/B/C}, one block each, with their BatchNorms at the initial statistics,
 * after a 1x1 ReLU convolution to the block's width, on 2 x 3 x 3 inputs, then global average pooling, a dense
 * bottleneck, L2NormalizeVertex and a CenterLossOutputLayer, as at the top of InceptionResNetV1; double).
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -Xmx4g -cp benchmarks/target/adaloss-benchmarks.jar
 * io.github.adaloss.bench.ntk.ZooNtkAgreement [models]} (default {@code InceptionResNetV1}; any ComputationGraph of
 * {@link ZooNtkCost} that both paths take).
 */
public final class ZooNtkAgreement {

    private ZooNtkAgreement() {
    }

    /** @param args optional comma-separated model names */
    public static void main(String[] args) {
        System.out.println("| model | largest activation | kernel scale (max entry) | float: structured vs generic "
                + "| double | double, BatchNorm statistics calibrated (largest BN output) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String name : (args.length > 0 ? args[0] : "InceptionResNetV1").split(",")) {
            ComputationGraph g = (ComputationGraph) ZooNtkCost.build(name);
            INDArray x = ZooNtkCost.inputs(name, 4, 7);
            INDArray probe = x.get(NDArrayIndex.interval(0, 2)).dup();
            String inFloat = relDiff(g, probe)[0];
            ComputationGraph d = g.convertDataType(DataType.DOUBLE);
            INDArray xd = x.castTo(DataType.DOUBLE);
            INDArray pd = probe.castTo(DataType.DOUBLE);
            double largest = largest(d.feedForward(pd, false));
            String[] inDouble = relDiff(d, pd);
            calibrate(d, xd);
            double bnOut = largestBatchNormOutput(d, xd);
            String[] calibrated = relDiff(d, pd);
            System.out.printf(Locale.ROOT, "| %s | %.2g | %s | %s | %s | %s (%.2g) |%n", name, largest, inDouble[1],
                    inFloat, inDouble[0], calibrated[0], bnOut);
        }
        System.out.println();
        System.out.println("| Inception-ResNet block alone | parameters | path chosen by AUTO | max entry | structured vs "
                + "generic (double) |");
        System.out.println("|---|---:|---|---:|---:|");
        String[] blocks = {"ResA", "ResB", "ResC"};
        int[] width = {192, 576, 1344};
        double[] scale = {0.17, 0.10, 0.20};
        for (int b = 0; b < 3; b++) {
            ComputationGraph g = block(b, width[b], scale[b]);
            INDArray x = org.nd4j.linalg.factory.Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 3).subi(0.5);
            String[] r = relDiff(g, x);
            System.out.printf(Locale.ROOT, "| %s | %,d | %s | %s | %s |%n", blocks[b], g.numParams(),
                    EmpiricalNtk.builder(g).build().method(), r[1], r[0]);
        }
    }

    private static ComputationGraph block(int which, int width, double scale) {
        ComputationGraphConfiguration.GraphBuilder g = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.DOUBLE).updater(new org.nd4j.linalg.learning.config.Sgd(0.1))
                .weightInit(org.deeplearning4j.nn.weights.WeightInit.RELU)
                .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).graphBuilder()
                .addInputs("in").setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(3, 3, 2))
                .addLayer("stem", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(1, 1).nOut(width)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build(), "in");
        g = switch (which) {
            case 0 -> InceptionResNetHelper.inceptionV1ResA(g, "block", 1, scale, "stem");
            case 1 -> InceptionResNetHelper.inceptionV1ResB(g, "block", 1, scale, "stem");
            default -> InceptionResNetHelper.inceptionV1ResC(g, "block", 1, scale, "stem");
        };
        String last = null;
        for (String v : g.getVertices().keySet()) {
            last = v;
        }
        g.addLayer("pool", new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(
                        org.deeplearning4j.nn.conf.layers.PoolingType.AVG).build(), last)
                .addLayer("bottleneck", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(4)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "pool")
                .addVertex("embeddings", new org.deeplearning4j.nn.conf.graph.L2NormalizeVertex(new int[] {1}, 1e-10),
                        "bottleneck")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), "embeddings")
                .setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /** @return {max |K_s - K_g| / max |K_g|, max |K_g|} as text */
    private static String[] relDiff(ComputationGraph g, INDArray probe) {
        INDArray s = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.STRUCTURED).build().compute(probe);
        INDArray k = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.GENERIC).build().compute(probe);
        double scale = k.amaxNumber().doubleValue();
        return new String[] {String.format(Locale.ROOT, "%.1e", s.sub(k).amaxNumber().doubleValue() / scale),
                String.format(Locale.ROOT, "%.2g", scale)};
    }

    private static double largest(Map<String, INDArray> acts) {
        double m = 0;
        for (INDArray a : acts.values()) {
            m = Math.max(m, a.amaxNumber().doubleValue());
        }
        return m;
    }

    /**
     * Sets every BatchNormalization's mean and variance (or log10 of its standard deviation) to those of its input,
     * one at a time in topological order, each from an inference pass of {@code x} through the ones already set.
     */
    private static void calibrate(ComputationGraph g, INDArray x) {
        ComputationGraphConfiguration conf = g.getConfiguration();
        for (int v : g.topologicalSortOrder()) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex gv = g.getVertices()[v];
            if (!gv.hasLayer() || !(gv.getLayer().conf().getLayer() instanceof BatchNormalization bn)) {
                continue;
            }
            String name = gv.getVertexName();
            String input = conf.getVertexInputs().get(name).get(0);
            INDArray in = g.feedForward(x, false).get(input);
            int[] dims = in.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
            org.deeplearning4j.nn.api.Layer l = gv.getLayer();
            INDArray mean = l.getParam("mean");
            mean.assign(in.mean(dims).reshape(mean.shape()));
            INDArray var = in.var(false, dims);
            if (l.paramTable().containsKey("var")) {
                l.getParam("var").assign(var.reshape(l.getParam("var").shape()));
            } else {
                INDArray logStd = l.getParam("log10stdev");
                logStd.assign(Transforms.log(Transforms.sqrt(var.add(bn.getEps()), false), 10.0, false)
                        .reshape(logStd.shape()));
            }
        }
    }

    /** @return the largest absolute output of any BatchNormalization in an inference pass of {@code x} */
    private static double largestBatchNormOutput(ComputationGraph g, INDArray x) {
        Map<String, INDArray> acts = g.feedForward(x, false);
        double m = 0;
        for (var e : g.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization) {
                m = Math.max(m, acts.get(e.getKey()).amaxNumber().doubleValue());
            }
        }
        return m;
    }
}
