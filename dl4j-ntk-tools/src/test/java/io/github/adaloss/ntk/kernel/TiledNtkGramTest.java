package io.github.adaloss.ntk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The tiled float Gram against the whole-Gram paths of {@link EmpiricalNtk} (the same structured path on the whole
 * probe, and the independent generic per-example Jacobian path), with tiles that do not divide n, budgets that force
 * many tiles, the memory-mapped file in several regions, Lanczos on the mapped Gram against LAPACK, and bad inputs.
 */
class TiledNtkGramTest {

    @TempDir
    Path dir;

    private static MultiLayerNetwork mlp(long seed, DataType type) {
        MultiLayerNetwork net = TestNetworks.sequential(seed, InputType.feedForward(12),
                new DenseLayer.Builder().nOut(40).activation(Activation.RELU).build(),
                new DenseLayer.Builder().nOut(24).activation(Activation.TANH).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX)
                        .build());
        return type == DataType.DOUBLE ? net : net.convertDataType(type);
    }

    private static MultiLayerNetwork cnn(long seed, DataType type) {
        MultiLayerNetwork net = TestNetworks.sequential(seed, InputType.convolutionalFlat(8, 8, 1),
                new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build(),
                new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build());
        return type == DataType.DOUBLE ? net : net.convertDataType(type);
    }

    /** @return max |a - b| / max |b| */
    private static double relDiff(INDArray a, INDArray b) {
        INDArray bd = b.castTo(DataType.DOUBLE);
        return a.castTo(DataType.DOUBLE).sub(bd).amaxNumber().doubleValue() / bd.amaxNumber().doubleValue();
    }

    private static void assertExactlySymmetric(FloatGram g) {
        for (int i = 0; i < g.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (g.get(i, j) != g.get(j, i)) {
                    throw new AssertionError("not symmetric at " + i + ", " + j);
                }
            }
        }
    }

    @Test
    void denseMlpTilesMatchTheWholeGramAndTheGenericPath() {
        for (long seed = 1; seed <= 3; seed++) {
            Nd4j.getRandom().setSeed(seed);
            MultiLayerNetwork net = mlp(seed, DataType.FLOAT);
            INDArray x = Nd4j.randn(DataType.FLOAT, 150, 12);
            INDArray whole = EmpiricalNtk.gram(net, x);
            INDArray generic = EmpiricalNtk.builder(net.convertDataType(DataType.DOUBLE))
                    .method(EmpiricalNtk.Method.GENERIC).build().compute(x.castTo(DataType.DOUBLE));
            // 37 rows: 5 tiles, the last of 2 rows
            TiledNtkGram tiled = TiledNtkGram.builder(net).tileRows(37).build();
            assertEquals(EmpiricalNtk.Method.DENSE, tiled.method());
            TiledNtkGram.Plan plan = tiled.plan(x);
            assertEquals(5, plan.tiles());
            assertEquals(15, plan.blocks());
            FloatGram g = tiled.compute(x);
            INDArray k = g.toINDArray();
            assertTrue(relDiff(k, whole) < 1e-6, "tiled vs whole (float rounding): " + relDiff(k, whole));
            assertTrue(relDiff(k, generic) < 1e-5, "tiled float vs generic double: " + relDiff(k, generic));
            assertExactlySymmetric(g);
            // a budget that forces many tiles: the largest tile that fits, and the same Gram
            long f = plan.bytesPerExample();
            long budget = 2 * 11 * f + TiledNtkGram.BYTES_PER_BLOCK_ENTRY * 11 * 11;
            TiledNtkGram small = TiledNtkGram.builder(net).memoryBudgetBytes(budget).build();
            assertEquals(11, small.plan(x).tileRows());
            assertEquals(14, small.plan(x).tiles());
            assertTrue(small.plan(x).workingBytes() <= budget);
            INDArray ks = small.compute(x).toINDArray();
            assertTrue(relDiff(ks, whole) < 1e-6, "many tiles vs whole: " + relDiff(ks, whole));
            // one output's kernel
            INDArray one = EmpiricalNtk.builder(net).output(2).build().compute(x);
            assertTrue(relDiff(TiledNtkGram.builder(net).tileRows(40).output(2).build().compute(x).toINDArray(), one)
                    < 1e-6, "output 2");
        }
    }

    @Test
    void convolutionalTilesMatchTheStructuredAndGenericPaths() {
        for (long seed = 1; seed <= 3; seed++) {
            Nd4j.getRandom().setSeed(seed);
            MultiLayerNetwork net = cnn(seed, DataType.FLOAT);
            INDArray x = Nd4j.rand(DataType.FLOAT, 61, 64);
            INDArray whole = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.STRUCTURED).build().compute(x);
            INDArray generic = EmpiricalNtk.builder(net.convertDataType(DataType.DOUBLE))
                    .method(EmpiricalNtk.Method.GENERIC).build().compute(x.castTo(DataType.DOUBLE));
            TiledNtkGram tiled = TiledNtkGram.builder(net).tileRows(13).build();
            assertEquals(EmpiricalNtk.Method.STRUCTURED, tiled.method());
            assertEquals(5, tiled.plan(x).tiles());
            FloatGram g = tiled.compute(x);
            INDArray k = g.toINDArray();
            assertTrue(relDiff(k, whole) < 1e-6, "tiled vs whole structured: " + relDiff(k, whole));
            assertTrue(relDiff(k, generic) < 1e-5, "tiled float vs generic double: " + relDiff(k, generic));
            assertExactlySymmetric(g);
            // the double path: tiles against the generic double Gram to float rounding
            INDArray kd = TiledNtkGram.builder(net).doublePrecision().tileRows(9).build().compute(x).toINDArray();
            assertTrue(relDiff(kd, generic) < 2e-7, "double tiles vs generic: " + relDiff(kd, generic));
        }
    }

    @Test
    void mappedFileRoundTripInSeveralRegions() throws IOException {
        Nd4j.getRandom().setSeed(4);
        MultiLayerNetwork net = mlp(4, DataType.FLOAT);
        INDArray x = Nd4j.randn(DataType.FLOAT, 90, 12);
        INDArray whole = EmpiricalNtk.gram(net, x);
        Path file = dir.resolve("gram.f32");
        TiledNtkGram tiled = TiledNtkGram.builder(net).tileRows(17).build();
        // regions of 7 rows (2520 bytes): 13 regions, tiles straddle region boundaries
        try (FloatGram g = FloatGram.create(file, 90, 7 * 90 * 4)) {
            assertEquals(13, g.regions());
            tiled.fill(x, g);
            g.flush();
        }
        assertEquals(4L * 90 * 90, Files.size(file));
        // the bare little-endian float32 layout, read without FloatGram
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] ij : new int[][] {{0, 0}, {3, 71}, {71, 3}, {89, 89}, {45, 12}}) {
            assertEquals(whole.getDouble(ij[0], ij[1]), raw.getFloat(4 * (ij[0] * 90 + ij[1])),
                    1e-6 * whole.amaxNumber().doubleValue(), "raw entry " + ij[0] + ", " + ij[1]);
        }
        try (FloatGram back = FloatGram.open(file, 11 * 90 * 4)) {
            assertEquals(90, back.size());
            assertEquals(9, back.regions());
            INDArray k = back.toINDArray();
            assertTrue(relDiff(k, whole) < 1e-6, "mapped vs whole: " + relDiff(k, whole));
            assertThrows(IllegalStateException.class, () -> back.putBlock(0, 0, 1, 1, new float[1]),
                    "read-only mapping");
        }
        // compute(features, file): the default single region
        try (FloatGram g = tiled.compute(x, dir.resolve("direct.f32"))) {
            assertEquals(1, g.regions());
            assertTrue(relDiff(g.toINDArray(), whole) < 1e-6);
        }
    }

    @Test
    void lanczosOnTheMappedGramMatchesTheDenseSolver() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            Nd4j.getRandom().setSeed(seed);
            MultiLayerNetwork net = mlp(seed, DataType.FLOAT);
            INDArray x = Nd4j.randn(DataType.FLOAT, 200, 12);
            try (FloatGram g = TiledNtkGram.builder(net).tileRows(45).build().compute(x,
                    dir.resolve("g" + seed + ".f32"))) {
                INDArray k = g.toINDArray();
                // the operator's product against ND4J's on the same float matrix
                double[] v = Nd4j.randn(DataType.DOUBLE, 200).toDoubleVector();
                double[] y = new double[200];
                g.multiply(v, y);
                double[] ref = k.castTo(DataType.DOUBLE).mmul(Nd4j.createFromArray(v).reshape(200, 1))
                        .toDoubleVector();
                for (int i = 0; i < 200; i++) {
                    assertEquals(ref[i], y[i], 1e-12 * Math.abs(ref[i]) + 1e-12, "product row " + i);
                }
                NtkSpectrum dense = NtkSpectrum.of(k);
                LanczosSpectrum l = LanczosSpectrum.of(g, 5, 200, 1e-9, seed);
                double[] ev = dense.eigenvalues();
                assertTrue(l.converged(), "converged: " + l);
                assertEquals(dense.lambdaMax(), l.lambdaMax(), 1e-9 * dense.lambdaMax(), "lambda_max");
                assertEquals(dense.lambdaMin(), l.lambdaMin(), 1e-8 * dense.lambdaMax(), "lambda_min");
                for (int j = 0; j < 5; j++) {
                    assertEquals(ev[ev.length - 1 - j], l.top()[j], 1e-9 * dense.lambdaMax(), "top " + j);
                }
            }
        }
    }

    @Test
    void badInputsAreNamed() throws IOException {
        MultiLayerNetwork net = mlp(1, DataType.FLOAT);
        INDArray x = Nd4j.randn(DataType.FLOAT, 20, 12);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TiledNtkGram.builder(net).memoryBudgetBytes(100).build().compute(x)).getMessage()
                .contains("memoryBudgetBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TiledNtkGram.builder(net).memoryBudgetBytes(0)).getMessage().contains("memoryBudgetBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TiledNtkGram.builder(net).memoryBudgetBytes(1 << 20).tileRows(20000).build().plan(
                        Nd4j.randn(DataType.FLOAT, 20000, 12))).getMessage().contains("tileRows"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TiledNtkGram.builder(net).tileRows(0)).getMessage().contains("tileRows"));
        TiledNtkGram tiled = TiledNtkGram.builder(net).build();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> tiled.compute(Nd4j.create(DataType.FLOAT, 0, 12))).getMessage().contains("features"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> tiled.compute(Nd4j.randn(DataType.FLOAT, 20, 5))).getMessage().contains("features"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> tiled.fill(x, FloatGram.inMemory(19)))
                .getMessage().contains("out"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> tiled.compute(x, null)).getMessage()
                .contains("file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TiledNtkGram.builder(net).output(9).build()
                .compute(x)).getMessage().contains("output"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TiledNtkGram.builder(net)
                .method(EmpiricalNtk.Method.STRUCTURED).build()).getMessage().contains("STRUCTURED"));
        // a budget too small fails before the file is created
        Path never = dir.resolve("never.f32");
        assertThrows(IllegalArgumentException.class,
                () -> TiledNtkGram.builder(net).memoryBudgetBytes(100).build().compute(x, never));
        assertTrue(!Files.exists(never), "no file for a rejected budget");
        // FloatGram
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FloatGram.inMemory(0)).getMessage()
                .contains("n"));
        Path odd = dir.resolve("odd.f32");
        Files.write(odd, new byte[12]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FloatGram.open(odd)).getMessage()
                .contains("file"));
        FloatGram g = FloatGram.inMemory(3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.multiply(new double[2], new double[3]))
                .getMessage().startsWith("x "));
        double[] v = new double[3];
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.multiply(v, v)).getMessage()
                .startsWith("y "));
        assertThrows(IllegalArgumentException.class, () -> g.putBlock(2, 2, 2, 2, new float[4]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.get(3, 0)).getMessage().startsWith("i "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LanczosSpectrum.of((SymmetricOperator) null,
                1, 1, 1e-6, 1)).getMessage().startsWith("op "));
    }
}
