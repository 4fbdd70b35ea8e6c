package io.github.adaloss.it.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.FloatGram;
import io.github.adaloss.ntk.spark.SparkNtkGram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link SparkNtkGram} on a Spark standalone cluster of two executor JVMs ({@link StandaloneCluster}): the tiled
 * trace NTK Gram of a dense MLP, a small CNN (structured convolutional path) and an LSTM (structured recurrent path),
 * 4 tiles = 10 block tasks each, against {@link EmpiricalNtk} computed in one piece on the driver, in memory and in a
 * memory-mapped file; the blocks must come from both executors and from neither the driver.
 */
class SparkNtkGramTest {

    private static MultiLayerNetwork net(InputType input, Layer... layers) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list();
        for (Layer l : layers) {
            b.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(input).build());
        net.init();
        return net;
    }

    private static OutputLayer softmax(int n) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(n).activation(Activation.SOFTMAX)
                .build();
    }

    private static double maxRelDiff(INDArray expected, FloatGram got) {
        double scale = expected.amaxNumber().doubleValue();
        double worst = 0;
        for (int i = 0; i < got.size(); i++) {
            for (int j = 0; j < got.size(); j++) {
                worst = Math.max(worst, Math.abs(got.get(i, j) - expected.getDouble(i, j)));
            }
        }
        return worst / scale;
    }

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void tiledGramOnAStandaloneClusterMatchesEmpiricalNtkOnTheDriver() throws Exception {
        Nd4j.getRandom().setSeed(12);
        MultiLayerNetwork mlp = net(InputType.feedForward(6),
                new DenseLayer.Builder().nOut(32).activation(Activation.TANH).build(), softmax(3));
        MultiLayerNetwork cnn = net(InputType.convolutional(8, 8, 1),
                new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                softmax(3));
        MultiLayerNetwork lstm = net(InputType.recurrent(2, 5),
                new LSTM.Builder().nOut(6).activation(Activation.TANH).build(),
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build());
        MultiLayerNetwork[] nets = {mlp, cnn, lstm};
        INDArray[] inputs = {Nd4j.rand(DataType.DOUBLE, 100, 6), Nd4j.rand(DataType.DOUBLE, 100, 1, 8, 8),
            Nd4j.rand(DataType.DOUBLE, 100, 2, 5)};
        EmpiricalNtk.Method[] paths = {EmpiricalNtk.Method.DENSE, EmpiricalNtk.Method.STRUCTURED,
            EmpiricalNtk.Method.STRUCTURED};
        Path logs = Path.of("target", "spark-ntk");
        try (StandaloneCluster cl = new StandaloneCluster(2, 1, "1g", logs, 300)) {
            JavaSparkContext sc = new JavaSparkContext(cl.executorConf("adaloss-ntk-gram-test", "1g", 2));
            try {
                StandaloneCluster.awaitExecutors(sc, 2, 300);
                long driver = ProcessHandle.current().pid();
                for (int m = 0; m < nets.length; m++) {
                    assertEquals(paths[m], EmpiricalNtk.builder(nets[m]).build().method(), "path of net " + m);
                    INDArray exact = EmpiricalNtk.gram(nets[m], inputs[m]);
                    // 4 tiles of 25 rows: 10 block tasks in 2 waves of 6 and 4
                    SparkNtkGram gram = SparkNtkGram.builder(nets[m]).tileRows(25).blocksPerWave(6).build();
                    FloatGram inMemory = gram.compute(sc, inputs[m]);
                    SparkNtkGram.Run run = gram.lastRun();
                    assertEquals(10, run.blocks(), "blocks");
                    assertEquals(2, run.waves(), "waves");
                    assertEquals(2, run.executorPids().size(), "blocks from both executors: " + run.executorPids());
                    assertFalse(run.executorPids().contains(driver), "no block computed on the driver");
                    double diff = maxRelDiff(exact, inMemory);
                    // the blocks are stored as float: about 6e-8 relative
                    assertTrue(diff < 3e-7, "net " + m + ": Spark Gram vs EmpiricalNtk, max rel. diff " + diff);
                    Path file = Files.createTempFile("spark-ntk-", ".f32");
                    try (FloatGram mapped = gram.compute(sc, inputs[m], file)) {
                        assertEquals(4L * 100 * 100, Files.size(file), "file of 4 n^2 bytes");
                        assertTrue(maxRelDiff(exact, mapped) < 3e-7, "memory-mapped file");
                    } finally {
                        Files.deleteIfExists(file);
                    }
                }
            } finally {
                sc.stop();
            }
        }
    }
}
