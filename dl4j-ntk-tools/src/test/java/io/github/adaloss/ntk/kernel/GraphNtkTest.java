package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The structured path on ComputationGraphs ({@link GraphWalk}) against central finite differences of
 * {@code outputSingle()}, against the generic per-example path on the same graph, and against the structured
 * MultiLayerNetwork path on the same network written as an MLN; and the fallback of unsupported graphs.
 */
class GraphNtkTest {

    private static ComputationGraphConfiguration.GraphBuilder builder(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).graphBuilder();
    }

    private static OutputLayer softmax(int k) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(k).activation(Activation.SOFTMAX)
                .build();
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /**
     * A residual block: conv1 feeds both conv2 and the Add vertex (so its signal is the sum of two), then a strided
     * convolution, pooling, a dense layer and softmax over 3 classes.
     */
    static ComputationGraph residual(String op) {
        ElementWiseVertex.Op o = ElementWiseVertex.Op.valueOf(op);
        return init(builder(11).addInputs("in").setInputTypes(InputType.convolutional(6, 6, 2))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.SOFTPLUS).build(), "conv1")
                .addVertex("add", new ElementWiseVertex(o), "conv2", "conv1")
                .addLayer("conv3", new ConvolutionLayer.Builder(2, 2).stride(2, 2).nOut(4)
                        .activation(Activation.SIGMOID).build(), "add")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2)
                        .stride(1, 1).build(), "conv3")
                .addLayer("dense", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "pool")
                .addLayer("out", softmax(3), "dense")
                .setOutputs("out").build());
    }

    /**
     * Two convolution branches of the input concatenated in depth (MergeVertex), max pooling feeding two dense
     * layers (its signal is their sum) concatenated in features, a SubsetVertex of 6 of the 7 features, softmax.
     */
    static ComputationGraph merged() {
        return init(builder(12).addInputs("in").setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(2)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.SOFTPLUS).build(),
                        "in")
                .addVertex("depth", new MergeVertex(), "a", "b")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "depth")
                .addLayer("d1", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "pool")
                .addLayer("d2", new DenseLayer.Builder().nOut(3).activation(Activation.SIGMOID).build(), "pool")
                .addVertex("features", new MergeVertex(), "d1", "d2")
                .addVertex("subset", new SubsetVertex(1, 6), "features")
                .addLayer("out", softmax(3), "subset")
                .setOutputs("out").build());
    }

    private static void assertExact(ComputationGraph g, INDArray x, INDArray x2, double tol) {
        assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(g).build().method(), "AUTO picks it");
        FiniteDifferenceChecks.assertMatches(g, EmpiricalNtk.Method.STRUCTURED, x, x2, tol);
        INDArray generic = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
        INDArray structured = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.STRUCTURED).build().compute(x);
        assertTrue(PlainJava.maxRelDiff(generic.toDoubleMatrix(), structured) < 1e-10, "vs generic path");
        INDArray genericFull = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.GENERIC).fullKernel().build()
                .compute(x, x2);
        INDArray structuredFull = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.STRUCTURED).fullKernel().build()
                .compute(x, x2);
        assertTrue(PlainJava.maxRelDiff(genericFull.toDoubleMatrix(), structuredFull) < 1e-10, "full cross kernel");
    }

    @Test
    void unetStyleGraphWithUpsamplingMergeAndCnnLossLayerTakesTheStructuredPath() {
        // UNet's pattern: down (conv, pool), up (Upsampling2D, conv), skip connection (MergeVertex), a 1-channel
        // sigmoid map as CnnLossLayer: k = 1 x 4 x 4 = 16 outputs per example, entry h W + w
        ComputationGraph g = init(builder(9).addInputs("in").setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "c1")
                .addLayer("c2", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.TANH).build(), "pool")
                .addLayer("up", new org.deeplearning4j.nn.conf.layers.Upsampling2D.Builder(2).build(), "c2")
                .addVertex("merge", new MergeVertex(), "up", "c1")
                .addLayer("c3", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(1)
                        .activation(Activation.IDENTITY).build(), "merge")
                .addLayer("loss", new org.deeplearning4j.nn.conf.layers.CnnLossLayer.Builder(
                        LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID).build(), "c3")
                .setOutputs("loss").build());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 4).subi(0.5);
        assertExact(g, x, Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4), 1e-6);
        // one pixel's kernel
        assertTrue(PlainJava.maxRelDiff(EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.GENERIC).output(5).build()
                .compute(x).toDoubleMatrix(), EmpiricalNtk.builder(g).output(5).build().compute(x)) < 1e-10,
                "output 5 vs generic path");
    }

    @Test
    void darknetStyleHeadGlobalPoolingSoftmaxLossLayerTakesTheStructuredPath() {
        // Darknet19's head: a convolution with one channel per class, global average pooling, softmax as an
        // ActivationLayer, LossLayer; k = the convolution's nOut, found through the three parameter-free vertices
        ComputationGraph g = init(builder(5).addInputs("in").setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.LEAKYRELU).build(),
                        "in")
                .addLayer("pool", new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(
                        org.deeplearning4j.nn.conf.layers.PoolingType.AVG).build(), "conv")
                .addLayer("softmax", new ActivationLayer.Builder().activation(Activation.SOFTMAX).build(), "pool")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).build(), "softmax")
                .setOutputs("loss").build());
        assertExact(g, Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 5).subi(0.5), Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5),
                1e-6);
    }

    @Test
    void inceptionResNetStyleHeadL2NormalizeAndCenterLossOutputTakesTheStructuredPath() {
        // InceptionResNetV1's pattern: a scaled residual branch (ScaleVertex, ElementWiseVertex Add) after a
        // convolution with BatchNormalization, average pooling, a dense bottleneck, L2NormalizeVertex and a
        // CenterLossOutputLayer (its center term and centers do not enter output(), so not the kernel)
        ComputationGraph g = init(builder(13).addInputs("in").setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
                .addLayer("branch", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.TANH).build(),
                        "relu")
                .addVertex("scaled", new org.deeplearning4j.nn.conf.graph.ScaleVertex(0.2), "branch")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "relu", "scaled")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2)
                        .stride(2, 2).build(), "add")
                .addLayer("bottleneck", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(),
                        "pool")
                .addVertex("embeddings", new L2NormalizeVertex(new int[] {1}, 1e-10), "bottleneck")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer.Builder(
                        LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).alpha(0.9)
                        .lambda(1e-4).build(), "embeddings")
                .setOutputs("out").build());
        // non-trivial running statistics and centers: a few training steps first
        INDArray train = Nd4j.rand(DataType.DOUBLE, 6, 2, 5, 5);
        INDArray labels = Nd4j.eye(3).castTo(DataType.DOUBLE).repeat(0, 2);
        for (int i = 0; i < 3; i++) {
            g.fit(new org.nd4j.linalg.dataset.DataSet(train, labels));
        }
        assertTrue(g.getLayer("out").getParam("cL").norm2Number().doubleValue() > 0, "centers moved");
        assertExact(g, Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 5).subi(0.5), Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5),
                1e-6);
    }

    @Test
    void residualAddGraphMatchesFiniteDifferencesAndTheGenericPath() {
        ComputationGraph g = residual("Add");
        assertExact(g, Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6).subi(0.5).muli(2), Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 6),
                1e-6);
    }

    @Test
    void productAndSubtractVerticesMatchTheGenericPath() {
        for (String op : new String[] {"Product", "Subtract"}) {
            ComputationGraph g = residual(op);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 6, 6).subi(0.5).muli(2);
            INDArray generic = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
            INDArray structured = EmpiricalNtk.builder(g).build().compute(x);
            assertTrue(PlainJava.maxRelDiff(generic.toDoubleMatrix(), structured) < 1e-10, op);
        }
    }

    @Test
    void mergeAndSubsetGraphMatchesFiniteDifferencesAndTheGenericPath() {
        ComputationGraph g = merged();
        assertExact(g, Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 5).subi(0.5).muli(2), Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5),
                1e-6);
    }

    @Test
    void lossLayerOutputAndFrozenLayerVertex() {
        // k = 3 from the dense layer feeding the LossLayer; the frozen 1x1 convolution passes the signal on but its
        // parameters do not count; an ActivationLayer after the Add vertex
        ComputationGraph g = init(builder(16).addInputs("in").setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(2)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("b", new FrozenLayerWithBackprop(new ConvolutionLayer.Builder(1, 1).nOut(2)
                        .activation(Activation.SIGMOID).build()), "a")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addLayer("act", new ActivationLayer(Activation.SOFTPLUS), "add")
                .addLayer("logits", new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build(), "act")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).build(), "logits")
                .setOutputs("out").build());
        assertEquals(g.numParams() - (2 * 2 + 2), TestNetworks.trainableIndices(g).length, "frozen conv excluded");
        assertExact(g, Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 5).subi(0.5).muli(2), Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5),
                1e-6);
    }

    /** A small convolutional MLN with BatchNormalization (random running statistics) and its graph. */
    private static MultiLayerNetwork convNet() {
        MultiLayerNetwork net = TestNetworks.sequential(13, InputType.convolutionalFlat(6, 6, 1),
                new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(1, 1).build(),
                new ConvolutionLayer.Builder(2, 2).stride(2, 2).nOut(4).activation(Activation.TANH).build(),
                new DenseLayer.Builder().nOut(5).activation(Activation.SIGMOID).build(),
                softmax(3));
        // running statistics, gamma and beta away from their initial values: the inference-mode map is not the identity
        BatchNormNtkTest.randomizeBatchNorm(net, 3);
        return net;
    }

    @Test
    void graphOfAnMlnGivesTheStructuredMlnKernel() {
        MultiLayerNetwork net = convNet();
        ComputationGraph g = net.toComputationGraph();
        assertEquals(net.params(), g.params(), "same weights");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 36);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 3, 36);
        assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(g).build().method());
        INDArray mln = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED).build().compute(x);
        INDArray graph = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.STRUCTURED).build().compute(x);
        assertTrue(PlainJava.maxRelDiff(mln.toDoubleMatrix(), graph) < 1e-12, "trace");
        INDArray mlnFull = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED).fullKernel().build()
                .compute(x, x2);
        INDArray graphFull = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.STRUCTURED).fullKernel().build()
                .compute(x, x2);
        assertTrue(PlainJava.maxRelDiff(mlnFull.toDoubleMatrix(), graphFull) < 1e-12, "full cross");
        INDArray one = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.STRUCTURED).output(2).build().compute(x);
        INDArray oneGeneric = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.GENERIC).output(2).build()
                .compute(x);
        assertTrue(PlainJava.maxRelDiff(oneGeneric.toDoubleMatrix(), one) < 1e-10, "one output vs generic");
        // the graph's BatchNorm in inference mode: finite differences of outputSingle(false, x)
        FiniteDifferenceChecks.assertMatches(g, EmpiricalNtk.Method.STRUCTURED, x, x2, 1e-6);
    }

    @Test
    void floatGraphIsComputedInFloat() {
        ComputationGraph d = residual("Add");
        ComputationGraph f = d.convertDataType(DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 6, 6);
        ComputationGraph rounded = f.convertDataType(DataType.DOUBLE);
        INDArray reference = EmpiricalNtk.builder(rounded).method(EmpiricalNtk.Method.GENERIC).build()
                .compute(x.castTo(DataType.FLOAT).castTo(DataType.DOUBLE));
        INDArray inFloat = EmpiricalNtk.builder(f).build().compute(x.castTo(DataType.FLOAT));
        INDArray inDouble = EmpiricalNtk.builder(f).doublePrecision().build().compute(x.castTo(DataType.FLOAT));
        double floatError = PlainJava.maxRelDiff(reference.toDoubleMatrix(), inFloat);
        assertTrue(floatError < 2e-6 && floatError > 1e-12, "float path vs double reference: " + floatError);
        assertTrue(PlainJava.maxRelDiff(reference.toDoubleMatrix(), inDouble) < 1e-10, "doublePrecision()");
    }

    @Test
    void tiledGramOfAGraph() {
        ComputationGraph g = merged();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 9, 2, 5, 5);
        TiledNtkGram tiled = TiledNtkGram.builder(g).tileRows(4).build();
        assertEquals(EmpiricalNtk.Method.STRUCTURED, tiled.method());
        INDArray generic = EmpiricalNtk.builder(g).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
        INDArray k = tiled.compute(x).toINDArray();
        assertTrue(PlainJava.maxRelDiff(generic.toDoubleMatrix(), k) < 1e-6, "tiled (float result) vs generic");
    }

    @Test
    void unsupportedGraphsFallBackToTheGenericPathWithTheReason() {
        // L2Vertex: the distance between two activations (a vertex the walk does not know)
        ComputationGraph l2 = init(builder(14).addInputs("in").setInputTypes(InputType.feedForward(4))
                .addLayer("d", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("e", new DenseLayer.Builder().nOut(3).activation(Activation.SIGMOID).build(), "in")
                .addVertex("norm", new org.deeplearning4j.nn.conf.graph.L2Vertex(), "d", "e")
                .addLayer("out", softmax(2), "norm")
                .setOutputs("out").build());
        assertEquals(EmpiricalNtk.Method.GENERIC, EmpiricalNtk.builder(l2).build().method());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(l2).method(EmpiricalNtk.Method.STRUCTURED).build());
        assertTrue(e.getMessage().contains("vertex 'norm' is a L2Vertex"), e.getMessage());
        ComputationGraph two = init(builder(15).addInputs("in").setInputTypes(InputType.feedForward(4))
                .addLayer("d", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("o1", softmax(2), "d")
                .addLayer("o2", softmax(2), "d")
                .setOutputs("o1", "o2").build());
        assertEquals(EmpiricalNtk.Method.GENERIC, EmpiricalNtk.builder(two).build().method());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalNtk.builder(two).method(EmpiricalNtk.Method.STRUCTURED).build());
        assertTrue(e.getMessage().contains("2 outputs"), e.getMessage());
        // the kernel AUTO gives is the generic one, and right (finite differences)
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4);
        FiniteDifferenceChecks.assertMatches(l2, EmpiricalNtk.Method.AUTO, x, Nd4j.rand(DataType.DOUBLE, 2, 4), 1e-6);
    }
}
