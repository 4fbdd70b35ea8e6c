package io.github.adaloss.it.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.IrisData;
import io.github.adaloss.it.support.Nets;
import io.github.adaloss.updater.AdaLoss;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdaLoss through {@link SparkDl4jMultiLayer} on a real Spark standalone cluster: a master and two workers, each
 * its own JVM on 127.0.0.1 ({@link StandaloneCluster}), executors in further JVMs started by the workers. Nothing is
 * shared with the driver's JVM, so the updater configuration, the network, the loss feed and the data must cross
 * process boundaries serialized.
 *
 * <p>The same training (Iris, {@link ParameterAveragingTrainingMaster} with {@code saveUpdater(true)} and
 * {@link RDDTrainingApproach#Direct}, no repartitioning, 2 workers,
 * averaging every 2 mini-batches, 6 {@code fit} calls) runs first in {@code local[2]} and then on the cluster; the
 * accumulator {@code b} read on the driver after each {@code fit} must be the same sequence in both (and growing).
 */
class SparkStandaloneClusterTest {

    private static final Logger log = LoggerFactory.getLogger(SparkStandaloneClusterTest.class);
    private static final int FITS = 6;

    @Test
    @Timeout(value = 1200, unit = TimeUnit.SECONDS)
    void adaLossAccumulatorOnAStandaloneClusterMatchesLocalMode() throws Exception {
        double[] local;
        JavaSparkContext sc = new JavaSparkContext(StandaloneCluster.baseConf("local[2]"));
        try {
            local = trainAndRecordB(sc);
        } finally {
            sc.stop();
        }
        for (int i = 1; i < FITS; i++) {
            assertTrue(local[i] > local[i - 1], "local[2]: b must grow from fit to fit: " + Arrays.toString(local));
        }

        Path logs = Path.of("target", "spark-standalone");
        double[] cluster;
        try (StandaloneCluster cl = new StandaloneCluster(2, 1, "1g", logs, 300)) {
            SparkConf conf = cl.executorConf("adaloss-standalone-test", "1g", 2);
            sc = new JavaSparkContext(conf);
            try {
                StandaloneCluster.awaitExecutors(sc, 2, 300);
                Set<Long> executorPids = executorPids(sc);
                long driverPid = ProcessHandle.current().pid();
                assertEquals(2, executorPids.size(), "tasks ran in two executor JVMs: " + executorPids);
                assertFalse(executorPids.contains(driverPid), "executors are not the driver JVM " + driverPid);
                cluster = trainAndRecordB(sc);
            } finally {
                sc.stop();
            }
        }
        log.info("b after each fit: local[2] {} / standalone cluster {}", Arrays.toString(local),
                Arrays.toString(cluster));
        assertArrayEquals(local, cluster, 0.0, "b after each fit, local[2] " + Arrays.toString(local)
                + " vs standalone cluster " + Arrays.toString(cluster));
    }

    /**
     * The training of {@link SparkParameterAveragingTest} (with the Direct RDD approach); returns b on the driver
     * after each fit.
     */
    private static double[] trainAndRecordB(JavaSparkContext sc) {
        DataSet all = IrisData.standardized(23);
        List<DataSet> batches = all.batchBy(10);
        JavaRDD<DataSet> rdd = sc.parallelize(batches, 2);
        MultiLayerNetwork net = Nets.irisClassifier(new AdaLoss(1.0, 1.0), 31, 16);
        double before = Nets.loss(net, all);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(10)
                .batchSizePerWorker(10).averagingFrequency(2).workerPrefetchNumBatches(0)
                .saveUpdater(true).rngSeed(5)
                // Direct: the data go to the executors through Spark itself. The default (Export) writes them to
                // the default Hadoop file system, which DL4J refuses when that is the local file system and Spark
                // is not in local mode (a real cluster would use HDFS or S3 there).
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                // Never repartition: a shuffle's reducers receive remote blocks in arrival order, so on a cluster
                // the order of the examples inside a partition (hence the mini-batches) would vary from run to
                // run. The parallelize() partitions are already balanced (2 x 75 examples).
                .repartionData(Repartition.Never).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, tm);
        sparkNet.setListeners(new LossFeedListener());
        double[] b = new double[FITS];
        for (int fit = 0; fit < FITS; fit++) {
            sparkNet.fit(rdd);
            b[fit] = AdaptiveSteps.accumulator(sparkNet.getNetwork()).orElseThrow();
        }
        double after = Nets.loss(sparkNet.getNetwork(), all);
        assertTrue(after < before / 3, "loss " + before + " -> " + after);
        tm.deleteTempFiles(sc);
        return b;
    }

    /** Runs 8 slow tasks and returns the process ids they ran in. */
    private static Set<Long> executorPids(JavaSparkContext sc) {
        List<Integer> items = IntStream.range(0, 8).boxed().collect(Collectors.toList());
        List<Long> pids = sc.parallelize(items, 8).map(i -> {
            Thread.sleep(300);
            return ProcessHandle.current().pid();
        }).collect();
        return new HashSet<>(pids);
    }
}
