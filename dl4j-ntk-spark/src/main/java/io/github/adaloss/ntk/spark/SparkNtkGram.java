package io.github.adaloss.ntk.spark;

import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.kernel.FloatGram;
import io.github.adaloss.ntk.kernel.TiledNtkGram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trace NTK Gram {@code [n, n]} of a large probe set on a Spark cluster: the tiles of {@link TiledNtkGram} as
 * Spark tasks. The features are cut into T tiles of {@code tileRows} examples; each of the T (T + 1) / 2 blocks
 * {@code K[tile i, tile j]}, {@code i <= j}, is one task, which computes it with {@link EmpiricalNtk} (the dense,
 * structured or generic path, as {@code EmpiricalNtk}'s AUTO chooses unless a method is set) on the executor, from
 * the network and the features broadcast once (the network as {@link ModelSerializer} bytes without updater state,
 * the features as ND4J bytes). Blocks come back to the driver in waves of at most {@link Builder#blocksPerWave}
 * blocks (one Spark job each, its tasks in parallel) and are written, with their mirror images, into a
 * {@link FloatGram} on the driver: in memory, or a memory-mapped file for n beyond 46 340. The driver's memory for
 * blocks in flight is bounded by one wave (4 tileRows^2 bytes a block).
 *
 * <p>Same kernel as {@link TiledNtkGram} and {@link EmpiricalNtk#compute(INDArray)} to float rounding (each block
 * computed in double, or in the network's float precision by the dense and structured paths, and stored as float);
 * tested on a standalone cluster of two executor JVMs against {@code EmpiricalNtk} on the driver. Each task
 * recomputes both of its tiles' factors, so a Gram of T tiles costs T (T + 1) factor passes over the cluster, as
 * {@code TiledNtkGram} does on one machine. Executors need the project's jars (this module and
 * {@code dl4j-ntk-tools}), DL4J and an ND4J backend on their classpath, as any DL4J Spark job does.
 *
 * <p>Limits: the Gram is assembled on the driver (a cluster-wide file system is not used); n at most 2^31 - 1; one
 * input array (MultiLayerNetwork or single-input ComputationGraph).
 */
public final class SparkNtkGram {

    private static final Logger log = LoggerFactory.getLogger(SparkNtkGram.class);

    /** Default number of blocks returned to the driver per Spark job. */
    public static final int DEFAULT_BLOCKS_PER_WAVE = 64;

    private final Model net;
    /** The same Gram on one machine: its plan (tile size) is the cluster's. */
    private final TiledNtkGram tiled;
    private final long memoryBudgetBytes;
    private final Integer output;
    private final EmpiricalNtk.Method method;
    private final int blocksPerWave;
    private volatile Run lastRun;

    /**
     * What the last {@code compute} did.
     *
     * @param blocks       blocks computed (T (T + 1) / 2)
     * @param waves        Spark jobs run
     * @param executorPids process ids of the JVMs that computed the blocks
     * @param seconds      wall time of the whole computation on the driver
     */
    public record Run(int blocks, int waves, java.util.Set<Long> executorPids, double seconds) {
    }

    private SparkNtkGram(Builder b) {
        this.net = b.net;
        this.tiled = b.tiled.build();
        this.memoryBudgetBytes = b.memoryBudgetBytes;
        this.output = b.output;
        this.method = b.method;
        this.blocksPerWave = b.blocksPerWave;
    }

    /**
     * @param net a MultiLayerNetwork or single-input ComputationGraph (only read)
     * @return a builder
     */
    public static Builder builder(Model net) {
        return new Builder(net);
    }

    /** @return what the last {@code compute} did, or null before the first */
    public Run lastRun() {
        return lastRun;
    }

    /**
     * How the Gram would be cut: {@link TiledNtkGram}'s plan for one executor's memory budget.
     *
     * @param features [n, ...]
     * @return the plan (tile rows, tiles, blocks)
     */
    public TiledNtkGram.Plan plan(INDArray features) {
        return tiled.plan(features);
    }

    /**
     * The Gram in a Java float array on the driver.
     *
     * @param sc       the Spark context
     * @param features [n, ...], n in [1, 46 340]
     * @return the n x n kernel
     */
    public FloatGram compute(JavaSparkContext sc, INDArray features) {
        TiledNtkGram.Plan plan = plan(features);
        FloatGram out = FloatGram.inMemory(plan.n());
        fill(sc, features, plan, out);
        return out;
    }

    /**
     * The Gram in a memory-mapped file on the driver ({@link FloatGram#create}; close the result when done).
     *
     * @param sc       the Spark context
     * @param features [n, ...]
     * @param file     where to write the matrix (4 n^2 bytes)
     * @return the mapped n x n kernel
     * @throws IOException if the file cannot be created or mapped
     */
    public FloatGram compute(JavaSparkContext sc, INDArray features, Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        TiledNtkGram.Plan plan = plan(features);
        FloatGram out = FloatGram.create(file, plan.n());
        fill(sc, features, plan, out);
        out.flush();
        return out;
    }

    private void fill(JavaSparkContext sc, INDArray features, TiledNtkGram.Plan plan, FloatGram out) {
        if (sc == null) {
            throw new IllegalArgumentException("sc must not be null");
        }
        int n = plan.n();
        int t = plan.tileRows();
        List<int[]> blocks = new ArrayList<>();
        for (int i0 = 0; i0 < n; i0 += t) {
            for (int j0 = i0; j0 < n; j0 += t) {
                blocks.add(new int[] {i0, Math.min(n, i0 + t), j0, Math.min(n, j0 + t)});
            }
        }
        Broadcast<byte[]> model = sc.broadcast(modelBytes(net));
        Broadcast<byte[]> x = sc.broadcast(featureBytes(features));
        BlockTask task = new BlockTask(model, x, net instanceof ComputationGraph, method, memoryBudgetBytes, output);
        log.info("SparkNtkGram: n = {}, {} tiles of {} rows, {} blocks, waves of {}", n, plan.tiles(), t,
                blocks.size(), blocksPerWave);
        long start = System.nanoTime();
        java.util.Set<Long> pids = new java.util.TreeSet<>();
        int waves = 0;
        try {
            for (int w0 = 0; w0 < blocks.size(); w0 += blocksPerWave) {
                List<int[]> wave = blocks.subList(w0, Math.min(blocks.size(), w0 + blocksPerWave));
                waves++;
                for (Block b : sc.parallelize(new ArrayList<>(wave), wave.size()).map(task).collect()) {
                    pids.add(b.pid());
                    out.putBlock(b.row0(), b.col0(), b.rows(), b.cols(), b.values());
                    if (b.row0() != b.col0()) {
                        out.putBlock(b.col0(), b.row0(), b.cols(), b.rows(), transpose(b));
                    }
                }
                log.debug("SparkNtkGram: {} of {} blocks", Math.min(blocks.size(), w0 + blocksPerWave),
                        blocks.size());
            }
        } finally {
            model.destroy();
            x.destroy();
        }
        lastRun = new Run(blocks.size(), waves, java.util.Collections.unmodifiableSet(pids),
                (System.nanoTime() - start) / 1e9);
        log.info("SparkNtkGram: {} blocks in {} s on executors {}", blocks.size(), lastRun.seconds(), pids);
    }

    private static float[] transpose(Block b) {
        float[] t = new float[b.values().length];
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                t[c * b.rows() + r] = b.values()[r * b.cols() + c];
            }
        }
        return t;
    }

    private static byte[] featureBytes(INDArray features) {
        try {
            return Nd4j.toByteArray(features.dup('c'));
        } catch (IOException e) {
            throw new UncheckedIOException("SparkNtkGram: could not serialize the features", e);
        }
    }

    private static byte[] modelBytes(Model net) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ModelSerializer.writeModel(net, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("SparkNtkGram: could not serialize the network", e);
        }
    }

    /**
     * Builder of a {@link SparkNtkGram}. The kernel's settings go to a {@link TiledNtkGram.Builder}, which checks
     * them (same messages) and plans the tiles; the executors' {@link EmpiricalNtk} gets the same budget, output and
     * method.
     */
    public static final class Builder {
        private final Model net;
        private final TiledNtkGram.Builder tiled;
        private long memoryBudgetBytes = Runtime.getRuntime().maxMemory() / 4;
        private Integer output;
        private EmpiricalNtk.Method method = EmpiricalNtk.Method.AUTO;
        private int blocksPerWave = DEFAULT_BLOCKS_PER_WAVE;

        private Builder(Model net) {
            this.tiled = TiledNtkGram.builder(net);
            this.net = net;
        }

        /**
         * @param bytes working memory of one task on an executor (sets the tile size as in {@link TiledNtkGram};
         *              default a quarter of the driver's max heap)
         * @return this
         */
        public Builder memoryBudgetBytes(long bytes) {
            tiled.memoryBudgetBytes(bytes);
            this.memoryBudgetBytes = bytes;
            return this;
        }

        /** @param rows examples per tile (default: the largest that fits the budget) @return this */
        public Builder tileRows(int rows) {
            tiled.tileRows(rows);
            return this;
        }

        /** @param c the one output whose kernel to compute (default: the trace over all outputs) @return this */
        public Builder output(int c) {
            tiled.output(c);
            this.output = c;
            return this;
        }

        /** @param value the kernel path of every task (default AUTO) @return this */
        public Builder method(EmpiricalNtk.Method value) {
            tiled.method(value);
            this.method = value;
            return this;
        }

        /** @param blocks blocks per Spark job, at least 1 (default {@value #DEFAULT_BLOCKS_PER_WAVE}) @return this */
        public Builder blocksPerWave(int blocks) {
            if (blocks < 1) {
                throw new IllegalArgumentException("blocksPerWave must be at least 1, got " + blocks);
            }
            this.blocksPerWave = blocks;
            return this;
        }

        /** @return the configured computation */
        public SparkNtkGram build() {
            return new SparkNtkGram(this);
        }
    }
}
