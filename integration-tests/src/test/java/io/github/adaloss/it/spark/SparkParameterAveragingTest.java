package io.github.adaloss.it.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.IrisData;
import io.github.adaloss.it.support.Nets;
import io.github.adaloss.updater.AdaLoss;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Pipeline 7 (Maven profile {@code spark}): Spark {@code local[2]} with DL4J's
 * {@link ParameterAveragingTrainingMaster} ({@code saveUpdater(true)}) trains the Iris classifier with AdaLoss and
 * the (Serializable, stateless) loss feed. Each {@code fit(rdd)} runs several averaging rounds; with the updater
 * state saved and averaged, the network accumulator {@code b} carried back to the driver must grow from every
 * {@code fit} to the next (a reset to {@code b0} per round would make it shrink as the loss falls), and the loss must
 * fall 3x.
 */
class SparkParameterAveragingTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void spark() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("adaloss-integration-test")
                .set("spark.driver.host", "127.0.0.1").set("spark.ui.enabled", "false");
        sc = new JavaSparkContext(conf);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void adaLossAccumulatorIsCarriedAcrossAveragingRounds() {
        DataSet all = IrisData.standardized(23);
        List<DataSet> batches = all.batchBy(10);
        JavaRDD<DataSet> rdd = sc.parallelize(batches, 2);

        MultiLayerNetwork net = Nets.irisClassifier(new AdaLoss(1.0, 1.0), 31, 16);
        double before = Nets.loss(net, all);
        // 15 data sets of 10 examples; 2 workers x averaging every 2 mini-batches of 10: ~4 rounds per fit.
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(10)
                .batchSizePerWorker(10).averagingFrequency(2).workerPrefetchNumBatches(0)
                .saveUpdater(true).rngSeed(5).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
        sparkNet.setListeners(new LossFeedListener());

        double previous = 1.0;
        for (int fit = 0; fit < 6; fit++) {
            sparkNet.fit(rdd);
            double b = AdaptiveSteps.accumulator(sparkNet.getNetwork()).orElseThrow();
            assertTrue(b > previous, "fit " + fit + ": b " + previous + " -> " + b + " must grow");
            previous = b;
        }
        double after = Nets.loss(sparkNet.getNetwork(), all);
        assertTrue(after < before / 3, "loss " + before + " -> " + after);
        tm.deleteTempFiles(sc);
    }
}
