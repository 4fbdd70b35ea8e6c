package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The structured convolutional path's two exact forms of a convolution's contribution (per-example weight
 * gradients, signal-patch products), their choice by multiply-add count, and its tiling within a memory budget:
 * each against the finite-difference Jacobian ({@link PlainJava}) and the generic per-example path.
 */
class ConvNtkFormsTest {

    private static final long LARGE = 1L << 32;

    /**
     * Flat 6x6 input, conv 3x3 Same (tanh; 36 positions), max pool 2x2 stride 2, conv 3x3 on the 3x3 pooled map
     * (softplus; one position, D = 27), dense (relu), softmax over 3.
     */
    private static MultiLayerNetwork net() {
        return TestNetworks.sequential(11, InputType.convolutionalFlat(6, 6, 1),
                new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.TANH).build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.SOFTPLUS).build(),
                new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build());
    }

    private static int[] all(int k) {
        int[] a = new int[k];
        for (int c = 0; c < k; c++) {
            a[c] = c;
        }
        return a;
    }

    /** FD trace, full and cross kernels; the given path must match each within 1e-6 and the generic path 1e-10. */
    private static void assertAgainstReferences(MultiLayerNetwork net, ConvNtk path, INDArray x, INDArray x2) {
        int[] trainable = TestNetworks.trainableIndices(net);
        double[][] j1 = PlainJava.jacobian(net, x, trainable, 1e-6);
        double[][] j2 = PlainJava.jacobian(net, x2, trainable, 1e-6);
        int k = j1.length / (int) x.size(0);
        double[][] full = PlainJava.gram(j1, j1);
        INDArray trace = path.kernel(x, x, all(k), false);
        assertTrue(PlainJava.maxRelDiff(PlainJava.trace(full, k), trace) < 1e-6, "trace vs FD");
        assertTrue(PlainJava.maxRelDiff(full, path.kernel(x, x, all(k), true)) < 1e-6, "full vs FD");
        assertTrue(PlainJava.maxRelDiff(PlainJava.trace(PlainJava.gram(j1, j2), k), path.kernel(x, x2, all(k), false))
                < 1e-6, "cross trace vs FD");
        assertTrue(PlainJava.maxRelDiff(PlainJava.gram(j1, j2), path.kernel(x, x2, all(k), true)) < 1e-6,
                "cross full vs FD");
        EmpiricalNtk generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build();
        assertTrue(PlainJava.maxRelDiff(generic.compute(x).toDoubleMatrix(), trace) < 1e-10, "trace vs generic");
        INDArray genericFull = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).fullKernel().build()
                .compute(x, x2);
        assertTrue(PlainJava.maxRelDiff(genericFull.toDoubleMatrix(), path.kernel(x, x2, all(k), true)) < 1e-10,
                "cross full vs generic");
        INDArray one = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).output(1).build().compute(x);
        assertTrue(PlainJava.maxRelDiff(one.toDoubleMatrix(), path.kernel(x, x, new int[] {1}, false)) < 1e-10,
                "output 1 vs generic");
    }

    @Test
    void gradientFormMatchesFiniteDifferencesAndTheGenericPath() {
        MultiLayerNetwork net = net();
        ConvNtk path = new ConvNtk(net, true, LARGE).withForm(ConvNtk.Form.GRADIENTS);
        assertAgainstReferences(net, path, Nd4j.rand(DataType.DOUBLE, 4, 36).subi(0.5).muli(2),
                Nd4j.rand(DataType.DOUBLE, 3, 36));
        assertEquals(ConvNtk.Form.GRADIENTS, path.lastForms()[2]);
    }

    @Test
    void patchFormMatchesFiniteDifferencesAndTheGenericPath() {
        MultiLayerNetwork net = net();
        ConvNtk path = new ConvNtk(net, true, LARGE).withForm(ConvNtk.Form.PATCHES);
        assertAgainstReferences(net, path, Nd4j.rand(DataType.DOUBLE, 4, 36).subi(0.5).muli(2),
                Nd4j.rand(DataType.DOUBLE, 3, 36));
        assertEquals(ConvNtk.Form.PATCHES, path.lastForms()[0]);
        assertEquals(ConvNtk.Form.PATCHES, path.lastForms()[2]);
    }

    @Test
    void formIsChosenByMultiplyAddCount() {
        // closed forms: gradient form n P D k C_out (both tiles) + n1 n2 k D C_out; patch form n1 n2 P^2 (D + k C_out)
        assertEquals(2.0 * 10 * 4 * 12 * 3 * 5 + 100.0 * 3 * 12 * 5,
                ConvNtk.gradientFormCost(10, 10, 4, 12, 5, 3, false, false), 1e-9);
        assertEquals(10 * 4 * 12 * 3 * 5 + 0.5 * 100 * 3 * 12 * 5,
                ConvNtk.gradientFormCost(10, 10, 4, 12, 5, 3, false, true), 1e-9);
        assertEquals(100.0 * 16 * (12 + 3 * 5), ConvNtk.patchFormCost(10, 10, 4, 12, 5, 3, false), 1e-9);
        assertEquals(100.0 * 16 * (12 + 9 * 5), ConvNtk.patchFormCost(10, 10, 4, 12, 5, 3, true), 1e-9);
        // here: the first convolution (P = 36, D = 9, C_out = 3) takes the gradient form, the second (P = 1, D = 27,
        // C_out = 4) the patch form: at n = 4, 12312 < 373248 and 624 < 3888 multiply-adds
        MultiLayerNetwork net = net();
        ConvNtk path = new ConvNtk(net, true, LARGE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 36);
        INDArray auto = path.kernel(x, x, all(3), false);
        double g0 = ConvNtk.gradientFormCost(4, 4, 36, 9, 3, 3, false, true);
        double p0 = ConvNtk.patchFormCost(4, 4, 36, 9, 3, 3, false);
        double g2 = ConvNtk.gradientFormCost(4, 4, 1, 27, 4, 3, false, true);
        double p2 = ConvNtk.patchFormCost(4, 4, 1, 27, 4, 3, false);
        assertEquals(p0 < g0 ? ConvNtk.Form.PATCHES : ConvNtk.Form.GRADIENTS, path.lastForms()[0]);
        assertEquals(p2 < g2 ? ConvNtk.Form.PATCHES : ConvNtk.Form.GRADIENTS, path.lastForms()[2]);
        assertTrue(g0 < p0 && p2 < g2, "the grid crosses both regimes: " + g0 + " " + p0 + " " + g2 + " " + p2);
        INDArray generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).build().compute(x);
        assertTrue(PlainJava.maxRelDiff(generic.toDoubleMatrix(), auto) < 1e-10);
    }

    @Test
    void tilesWithinTheMemoryBudgetGiveTheSameKernel() {
        MultiLayerNetwork net = net();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 36).subi(0.5);
        INDArray x2 = Nd4j.rand(DataType.DOUBLE, 5, 36);
        long perExample = new ConvNtk(net, true, LARGE).bytesPerExample(x, 3);
        // room for the full 21 x 21 result and two tiles of 2 examples: 4 tiles of x, 3 of x2
        long budget = 21L * 21 * 8 + 4 * perExample + 8;
        ConvNtk tiled = new ConvNtk(net, true, budget);
        tiled.kernel(x, x, all(3), true);
        assertEquals(2, tiled.lastTile(), "tiles of two examples for the symmetric full kernel");
        tiled.kernel(x, x, all(3), false);
        assertTrue(tiled.lastTile() < 7, "trace kernel tiled too: " + tiled.lastTile());
        assertAgainstReferences(net, tiled, x, x2);
        // the trace kernel sums over outputs: room for all 7 examples with one output at a time, not with 3
        INDArray whole = new ConvNtk(net, true, LARGE).kernel(x, x, all(3), false);
        long perOutput = new ConvNtk(net, true, LARGE).bytesPerExample(x, 1);
        long chunkBudget = 2L * 7 * 7 * 8 + 7 * perOutput;
        assertTrue(7 * perExample > chunkBudget - 7 * 7 * 8, "3 outputs do not fit the budget");
        ConvNtk chunks = new ConvNtk(net, true, chunkBudget);
        INDArray chunked = chunks.kernel(x, x, all(3), false);
        assertEquals(7, chunks.lastTile(), "chunks of outputs, no tiles of examples");
        assertEquals(1, chunks.lastOutputChunk(), "one output at a time");
        assertTrue(PlainJava.maxRelDiff(whole.toDoubleMatrix(), chunked) < 1e-12, "chunks of outputs = whole");
        assertAgainstReferences(net, chunks, x, x2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ConvNtk(net, true, perExample).kernel(x, x, all(3), false));
        assertTrue(e.getMessage().contains("memoryBudgetBytes"), e.getMessage());
    }

    @Test
    void budgetFromTheBuilderReachesTheStructuredPath() {
        MultiLayerNetwork net = net();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 36);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED).memoryBudgetBytes(1000)
                        .build().compute(x));
        assertTrue(e.getMessage().contains("1,000"), e.getMessage());
    }

    @Test
    void signalsBelowConvolutionsAndPoolingInChunksOfOneExample() {
        // columns of one row and pooling backprop of one example at a time: the chunked branches against the
        // finite differences and the generic path
        MultiLayerNetwork net = net();
        ConvNtk chunked = new ConvNtk(net, true, LARGE).withColumnBytes(1);
        assertAgainstReferences(net, chunked, Nd4j.rand(DataType.DOUBLE, 4, 36).subi(0.5).muli(2),
                Nd4j.rand(DataType.DOUBLE, 3, 36));
    }
}
