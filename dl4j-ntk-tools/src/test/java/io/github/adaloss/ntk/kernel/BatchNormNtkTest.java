package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
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
 * BatchNormalization in inference mode (running mean and variance) on every NTK path, against central finite
 * differences of {@code output(x, false)}. The running statistics are set far from the probe's batch statistics, so a
 * kernel of the training-mode map (batch statistics) would not match.
 */
class BatchNormNtkTest {

    /**
     * Running mean in [-1, 1], running variance in [0.3, 2.3] (or its log10 std), gamma in [0.5, 1.5], beta in
     * [-0.5, 0.5] for every BatchNormalization layer of {@code net}.
     */
    static void randomizeBatchNorm(Model net, long seed) {
        Nd4j.getRandom().setSeed(seed);
        org.deeplearning4j.nn.api.Layer[] layers = net instanceof MultiLayerNetwork m ? m.getLayers()
                : ((ComputationGraph) net).getLayers();
        for (org.deeplearning4j.nn.api.Layer l : layers) {
            org.deeplearning4j.nn.api.Layer inner = l instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop f
                    ? f.getInsideLayer() : l;
            if (!(inner.conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            for (String p : inner.paramTable().keySet()) {
                INDArray v = inner.getParam(p);
                INDArray r = Nd4j.rand(v.dataType(), v.shape());
                switch (p) {
                    case "mean" -> v.assign(r.muli(2).subi(1));
                    case "var" -> v.assign(r.muli(2).addi(0.3));
                    case "log10stdev" -> v.assign(r.muli(0.6).subi(0.3));
                    case "gamma" -> v.assign(r.addi(0.5));
                    case "beta" -> v.assign(r.subi(0.5));
                    default -> throw new IllegalStateException(p);
                }
            }
        }
    }

    private static BatchNormalization bn(boolean logStd) {
        return new BatchNormalization.Builder().useLogStd(logStd).build();
    }

    /** conv 2x2 (3 channels) -> BN -> relu -> max pool -> dense 4 -> BN -> tanh -> softmax 3; 6x6x2 input. */
    private static MultiLayerNetwork convNet(boolean logStd, CNN2DFormat format) {
        MultiLayerNetwork net = TestNetworks.sequential(3, InputType.convolutional(6, 6, 2, format),
                new ConvolutionLayer.Builder(2, 2).nOut(3).dataFormat(format).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().useLogStd(logStd).dataFormat(format).build(),
                new ActivationLayer(Activation.RELU),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(format).build(),
                new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(),
                bn(!logStd),
                new ActivationLayer(Activation.TANH),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build());
        randomizeBatchNorm(net, 17);
        return net;
    }

    /** 3 -> dense 5 -> BN -> tanh -> dense 4 -> BN (optionally frozen) -> softplus -> 2 (identity). */
    private static MultiLayerNetwork mlp(boolean frozenBn) {
        BatchNormalization second = bn(false);
        MultiLayerNetwork net = TestNetworks.sequential(4, InputType.feedForward(3),
                new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build(),
                bn(true),
                new ActivationLayer(Activation.TANH),
                new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(),
                frozenBn ? new FrozenLayerWithBackprop(second) : second,
                new ActivationLayer(Activation.SOFTPLUS),
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build());
        randomizeBatchNorm(net, 23);
        return net;
    }

    @Test
    void runningStatisticsAreNotTrainableButGammaAndBetaAre() {
        MultiLayerNetwork net = convNet(false, CNN2DFormat.NCHW);
        // conv 2*2*2*3 + 3, BN gamma/beta 3 + 3 (mean/var 6 not), dense 12*4 + 4, BN 4 + 4 (mean/log10std 8 not),
        // output 4*3 + 3
        assertEquals(24 + 3 + 6 + 48 + 4 + 8 + 12 + 3, new TrainableParameters(net).count);
        assertEquals(net.numParams() - 14, new TrainableParameters(net).count);
        MultiLayerNetwork frozen = mlp(true);
        // dense 3*5 + 5, BN 5 + 5, dense 5*4 + 4, frozen BN none, output 4*2 + 2
        assertEquals(20 + 10 + 24 + 10, new TrainableParameters(frozen).count);
    }

    @Test
    void genericPathMatchesFiniteDifferencesOfTheInferenceOutput() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 6, 6).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6).subi(0.5);
        for (boolean logStd : new boolean[] {false, true}) {
            FiniteDifferenceChecks.assertMatches(convNet(logStd, CNN2DFormat.NCHW), EmpiricalNtk.Method.GENERIC, x,
                    x2, 1e-7);
        }
        INDArray nhwc = x.permute(0, 2, 3, 1).dup('c');
        FiniteDifferenceChecks.assertMatches(convNet(true, CNN2DFormat.NHWC), EmpiricalNtk.Method.GENERIC, nhwc,
                x2.permute(0, 2, 3, 1).dup('c'), 1e-7);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5).muli(3);
        INDArray v2 = Nd4j.rand(DataType.DOUBLE, 2, 3);
        for (boolean frozen : new boolean[] {false, true}) {
            FiniteDifferenceChecks.assertMatches(mlp(frozen), EmpiricalNtk.Method.GENERIC, v, v2, 1e-7);
        }
    }

    @Test
    void structuredConvolutionalPathMatchesFiniteDifferencesAndTheGenericPath() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 6, 6).subi(0.5).muli(2);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6).subi(0.5);
        for (boolean logStd : new boolean[] {false, true}) {
            MultiLayerNetwork net = convNet(logStd, CNN2DFormat.NCHW);
            assertEquals(EmpiricalNtk.Method.STRUCTURED, EmpiricalNtk.builder(net).build().method());
            FiniteDifferenceChecks.assertMatches(net, EmpiricalNtk.Method.STRUCTURED, x, x2, 1e-7);
            INDArray generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
            assertTrue(PlainJava.maxRelDiff(generic.toDoubleMatrix(), EmpiricalNtk.gram(net, x)) < 1e-10);
        }
        // NHWC BatchNorm is not on the structured path: AUTO falls back to the generic one
        assertEquals(EmpiricalNtk.Method.GENERIC, EmpiricalNtk.builder(convNet(true, CNN2DFormat.NHWC)).build()
                .method());
    }

    @Test
    void densePathMatchesFiniteDifferencesAlsoWithAFrozenBatchNorm() {
        INDArray v = Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5).muli(3);
        INDArray v2 = Nd4j.rand(DataType.DOUBLE, 2, 3);
        for (boolean frozen : new boolean[] {false, true}) {
            MultiLayerNetwork net = mlp(frozen);
            assertEquals(EmpiricalNtk.Method.DENSE, EmpiricalNtk.builder(net).build().method());
            FiniteDifferenceChecks.assertMatches(net, EmpiricalNtk.Method.DENSE, v, v2, 1e-7);
        }
        // float network: the dense path stays in float, within float accuracy of the double kernel
        MultiLayerNetwork d = mlp(false);
        INDArray kd = EmpiricalNtk.gram(d, v);
        INDArray kf = EmpiricalNtk.gram(d.convertDataType(DataType.FLOAT), v.castTo(DataType.FLOAT));
        assertTrue(PlainJava.maxRelDiff(kd.toDoubleMatrix(), kf) < 1e-5, "float dense path");
    }

    @Test
    void computationGraphWithBatchNormMatchesFiniteDifferences() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(8).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), "in")
                .addLayer("bn", bn(true), "conv")
                .addLayer("relu", new ActivationLayer(Activation.RELU), "bn")
                .addLayer("conv2", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.IDENTITY).build(),
                        "relu")
                .addLayer("bn2", bn(false), "conv2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn2", "relu")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "add")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        randomizeBatchNorm(g, 31);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 5, 5).subi(0.5).muli(2);
        int[] trainable = TestNetworks.trainableIndices(g);
        assertEquals(g.numParams() - 12, trainable.length);
        double[][] j = PlainJava.jacobian(in -> g.outputSingle(false, in), g.params(), x, trainable, 1e-6);
        double[][] full = PlainJava.gram(j, j);
        assertTrue(PlainJava.maxRelDiff(PlainJava.trace(full, 2), EmpiricalNtk.gram(g, x)) < 1e-7, "trace");
        assertTrue(PlainJava.maxRelDiff(full, EmpiricalNtk.builder(g).fullKernel().build().compute(x)) < 1e-7,
                "full");
    }

    @Test
    void theKernelIsNotThatOfTheTrainingModeMap() {
        // in training mode BN normalises by the probe's own batch statistics, not the running ones: the kernel of
        // output(x, true) (by finite differences) must differ from the inference-mode kernel computed here, so the
        // finite-difference checks above could not pass with a training-mode implementation
        MultiLayerNetwork net = mlp(false);
        INDArray v = Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5).muli(3);
        int[] trainable = TestNetworks.trainableIndices(net);
        double[][] training = PlainJava.jacobian(in -> net.output(in, true), net.params(), v, trainable, 1e-6);
        double[][] kTrain = PlainJava.trace(PlainJava.gram(training, training), 2);
        assertTrue(PlainJava.maxRelDiff(kTrain, EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build()
                .compute(v)) > 1e-2, "the inference kernel must differ from the training-mode one");
    }

    @Test
    void lockedGammaBetaAtTheirDefaultsWorkOtherwiseAClearRefusal() {
        MultiLayerNetwork locked = TestNetworks.sequential(4, InputType.feedForward(3),
                new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().lockGammaBeta(true).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.TANH).build());
        randomizeBatchNorm(locked, 5);
        assertEquals(3 * 4 + 4 + 4 * 2 + 2, new TrainableParameters(locked).count);
        FiniteDifferenceChecks.assertMatches(locked, EmpiricalNtk.Method.GENERIC, Nd4j.rand(DataType.DOUBLE, 4, 3),
                Nd4j.rand(DataType.DOUBLE, 2, 3), 1e-7);
        MultiLayerNetwork odd = TestNetworks.sequential(4, InputType.feedForward(3),
                new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().lockGammaBeta(true).gamma(2.0).beta(0.0).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.TANH).build());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> EmpiricalNtk.gram(odd, Nd4j.rand(DataType.DOUBLE, 2, 3)));
        assertTrue(e.getMessage().contains("locked gamma=2.0"), e.getMessage());
    }
}
