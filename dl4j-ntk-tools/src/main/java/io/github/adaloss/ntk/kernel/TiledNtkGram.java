package io.github.adaloss.ntk.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The n x n trace NTK Gram (or the kernel of one output) of a large probe set, computed block by block in a bounded
 * working memory, the result in float ({@link FloatGram}: a Java array, or a memory-mapped file when n is large).
 * The same kernel as {@link EmpiricalNtk} (same paths, same precision; only the result is rounded to float).
 *
 * <p>The n examples are cut into T tiles of t rows ({@link Plan#tileRows}; the last tile may be shorter). For each
 * row tile i the factors of the path (the per-layer inputs and back-propagated signals of the dense path
 * {@link DenseNtk}, the per-example weight gradients or patches and signals of the structured convolutional path
 * {@link ConvNtk}: one forward and one batched backward pass for all k outputs) are computed once and kept; for each
 * column tile j &gt;= i those of tile j are computed, the block {@code K(X_i, X_j)} is formed by the path's
 * products, rounded to float and written at (i, j) and, transposed, at (j, i). Only the T (T + 1) / 2 blocks on and
 * above the diagonal are computed (the diagonal ones by the paths' half-work symmetric products), so the n x n
 * products cost about half of the full ones; the price of the bounded memory is that tile j's factors are
 * recomputed for every row tile, T (T + 1) / 2 factor passes of t examples instead of T. The stored matrix is
 * exactly symmetric. Networks neither path serves get their blocks from {@link EmpiricalNtk}'s generic path
 * ({@code compute(X_i, X_j)}, which recomputes both tiles' Jacobians for every block).
 *
 * <p>Working memory (not counting the network, the features and the result): two tiles' factors,
 * {@code 2 t f} bytes with f the path's estimate per example ({@link Plan#bytesPerExample}: what the path keeps
 * for a tile plus the largest transient of its backward pass), and one block in flight, {@code
 * BYTES_PER_BLOCK_ENTRY t^2} (the double block, one double layer term, the float layer products, the float copy and
 * its transpose). The tile is the largest t for which this is at most {@code memoryBudgetBytes}
 * ({@link Builder#memoryBudgetBytes}, default a quarter of the JVM's max memory), or the one set by
 * {@link Builder#tileRows}; an {@link IllegalArgumentException} names the budget when not even one example fits.
 * The estimate counts the path's arrays, not ND4J's or DL4J's internal temporaries, and off-heap garbage is
 * reclaimed by a garbage collection after each block (the Java heap hardly grows, so the collector would run late).
 * The result adds {@code 4 n^2} bytes: on the Java heap in memory, or in the operating system's page cache when
 * mapped (reclaimable file pages, counted in the process's resident set while they are resident).
 *
 * <p>Progress is logged (SLF4J, INFO) once per row tile with the elapsed time and an estimate of the rest.
 * Deterministic given the network and the features. The network is only read.
 */
public final class TiledNtkGram {

    private static final Logger log = LoggerFactory.getLogger(TiledNtkGram.class);

    /** Bytes per entry of one block in flight (see the class documentation). */
    public static final long BYTES_PER_BLOCK_ENTRY = 40;

    /**
     * How a Gram is cut.
     *
     * @param n               examples
     * @param tileRows        rows per tile t
     * @param tiles           number of tiles T
     * @param bytesPerExample the path's working memory per example (f)
     * @param workingBytes    {@code 2 t f + BYTES_PER_BLOCK_ENTRY t^2}
     * @param method          the path that computes the blocks
     */
    public record Plan(int n, int tileRows, int tiles, long bytesPerExample, long workingBytes,
                       EmpiricalNtk.Method method) {
        /** @return blocks computed, T (T + 1) / 2 */
        public long blocks() {
            return (long) tiles * (tiles + 1) / 2;
        }
    }

    /** One path's factors and blocks. */
    private interface Blocks<F> {
        long bytesPerExample(INDArray sample);

        /** @return bytes of the budget the path keeps for itself (the generic path's Jacobian tiles) */
        default long reservedBytes() {
            return 0;
        }

        void prepare(INDArray sample, long tile);

        F factors(INDArray x);

        /** @return the trace block [n1, n2], DOUBLE; {@code a == b} for a diagonal block */
        INDArray block(F a, F b, long n1, long n2);

        void release(F f);
    }

    private final Model net;
    private final Integer output;
    private final long memoryBudgetBytes;
    private final Integer tileRows;
    private final boolean doublePrecision;
    private final EmpiricalNtk.Method method;

    private TiledNtkGram(Builder b) {
        this.net = b.net;
        this.output = b.output;
        this.memoryBudgetBytes = b.memoryBudgetBytes;
        this.tileRows = b.tileRows;
        this.doublePrecision = b.doublePrecision;
        EmpiricalNtk.Builder eb = EmpiricalNtk.builder(net).method(b.method);
        // validates the method against the network (IllegalArgumentException if DENSE / STRUCTURED do not apply)
        this.method = eb.build().method();
    }

    /**
     * @param net a MultiLayerNetwork (dense or convolutional, served by the structured paths) or any network
     *            {@link EmpiricalNtk} serves
     * @return a builder
     */
    public static Builder builder(Model net) {
        return new Builder(net);
    }

    /** @return the path that computes the blocks (AUTO resolved as in {@link EmpiricalNtk}) */
    public EmpiricalNtk.Method method() {
        return method;
    }

    /**
     * @param features [n, ...] the probe inputs
     * @return how {@link #compute} would cut the Gram
     */
    public Plan plan(INDArray features) {
        EmpiricalNtk.validateFeatures(net, features, "features");
        return plan(features, path(features));
    }

    private Plan plan(INDArray features, Blocks<?> path) {
        long n = features.size(0);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("features has " + n + " examples, more than a FloatGram holds");
        }
        long f = path.bytesPerExample(features);
        long budget = memoryBudgetBytes - path.reservedBytes();
        long t;
        if (tileRows != null) {
            t = Math.min(tileRows, n);
            long need = working(t, f);
            if (need > budget) {
                throw new IllegalArgumentException(String.format("tileRows %d needs %,d bytes of working memory "
                        + "(%,d per example, two tiles, plus %d per block entry) but memoryBudgetBytes leaves %,d for "
                        + "them", tileRows, need, f, BYTES_PER_BLOCK_ENTRY, budget));
            }
        } else {
            double a = BYTES_PER_BLOCK_ENTRY;
            t = (long) Math.floor((-2.0 * f + Math.sqrt(4.0 * f * f + 4 * a * Math.max(0, budget))) / (2 * a));
            while (t > 0 && working(t, f) > budget) {
                t--;
            }
            t = Math.min(t, n);
            if (t < 1) {
                throw new IllegalArgumentException(String.format("memoryBudgetBytes %,d is too small: one example "
                        + "pair needs %,d bytes (%,d per example, two tiles, plus a 1 x 1 block)", memoryBudgetBytes,
                        working(1, f), f));
            }
        }
        int tiles = (int) ((n + t - 1) / t);
        return new Plan((int) n, (int) t, tiles, f, working(t, f) + path.reservedBytes(), method);
    }

    private static long working(long t, long f) {
        return 2 * t * f + BYTES_PER_BLOCK_ENTRY * t * t;
    }

    /**
     * The Gram in a Java float array.
     *
     * @param features [n, ...], n in [1, 46 340]
     * @return the n x n trace kernel (or the kernel of the chosen output), float
     */
    public FloatGram compute(INDArray features) {
        EmpiricalNtk.validateFeatures(net, features, "features");
        FloatGram out = FloatGram.inMemory((int) Math.min(Integer.MAX_VALUE, features.size(0)));
        fill(features, out);
        return out;
    }

    /**
     * The Gram in a memory-mapped file ({@link FloatGram#create}: created or truncated, 4 n^2 bytes, flushed on
     * return; close the result when done).
     *
     * @param features [n, ...]
     * @param file     where to write the matrix
     * @return the mapped n x n kernel
     * @throws IOException if the file cannot be created or mapped
     */
    public FloatGram compute(INDArray features, Path file) throws IOException {
        EmpiricalNtk.validateFeatures(net, features, "features");
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        // plan first: a budget that is too small fails before the file is created
        Blocks<?> path = path(features);
        plan(features, path);
        FloatGram out = FloatGram.create(file, (int) features.size(0));
        fill(features, out, path);
        out.flush();
        return out;
    }

    /**
     * Fills an existing matrix (for example one mapped with {@link FloatGram#create}) with the Gram of
     * {@code features}.
     *
     * @param features [n, ...]
     * @param out      an n x n writable FloatGram
     */
    public void fill(INDArray features, FloatGram out) {
        EmpiricalNtk.validateFeatures(net, features, "features");
        fill(features, out, path(features));
    }

    private <F> void fill(INDArray features, FloatGram out, Blocks<F> path) {
        if (out == null || out.size() != features.size(0)) {
            throw new IllegalArgumentException("out must be a " + features.size(0) + " x " + features.size(0)
                    + " FloatGram, got " + out);
        }
        Plan plan = plan(features, path);
        int n = plan.n();
        int t = plan.tileRows();
        log.info("tiled NTK Gram: n = {}, {} path, {} tiles of {} rows, {} blocks, working memory about {} MB "
                + "({} bytes per example), result {} MB in {}", n, plan.method(), plan.tiles(), t, plan.blocks(),
                plan.workingBytes() >> 20, plan.bytesPerExample(), (4L * n * n) >> 20,
                out.file() == null ? "memory" : out.file());
        path.prepare(rows(features, 0, Math.min(n, 1)), t);
        long start = System.nanoTime();
        long done = 0;
        for (int i0 = 0; i0 < n; i0 += t) {
            int i1 = Math.min(n, i0 + t);
            F fi = path.factors(rows(features, i0, i1));
            for (int j0 = i0; j0 < n; j0 += t) {
                int j1 = Math.min(n, j0 + t);
                boolean diagonal = j0 == i0;
                F fj = diagonal ? fi : path.factors(rows(features, j0, j1));
                INDArray b = path.block(fi, fj, i1 - i0, j1 - j0);
                INDArray bf = b.castTo(DataType.FLOAT);
                if (bf.isView() || bf.ordering() != 'c') {
                    bf = bf.dup('c');
                }
                out.putBlock(i0, j0, i1 - i0, j1 - j0, bf.data().asFloat());
                if (!diagonal) {
                    INDArray tr = bf.transpose().dup('c');
                    out.putBlock(j0, i0, j1 - j0, i1 - i0, tr.data().asFloat());
                    close(tr);
                    path.release(fj);
                }
                close(b);
                close(bf);
                done++;
                // reclaim the off-heap garbage of the block's temporaries now (see the class documentation)
                System.gc();
            }
            path.release(fi);
            double elapsed = (System.nanoTime() - start) / 1e9;
            // blocks weighted by their size would be more exact; blocks left are a fair proxy for equal tiles
            log.info("tiled NTK Gram: rows [{}, {}) done, {} of {} blocks, {} s elapsed, about {} s left", i0, i1,
                    done, plan.blocks(), String.format("%.1f", elapsed),
                    String.format("%.0f", elapsed / done * (plan.blocks() - done)));
        }
    }

    private static void close(INDArray a) {
        if (a != null && !a.wasClosed() && a.closeable()) {
            a.close();
        }
    }

    /** Rows [from, to) of a batch of any rank, a new C-order array. */
    private static INDArray rows(INDArray x, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int r = 1; r < idx.length; r++) {
            idx[r] = NDArrayIndex.all();
        }
        return x.get(idx).dup('c');
    }

    private int[] outputs(int k) {
        if (output == null) {
            int[] all = new int[k];
            for (int c = 0; c < k; c++) {
                all[c] = c;
            }
            return all;
        }
        if (output >= k) {
            throw new IllegalArgumentException("output must be in [0, " + k + "), got " + output);
        }
        return new int[] {output};
    }

    private Blocks<?> path(INDArray features) {
        if (method == EmpiricalNtk.Method.DENSE) {
            DenseNtk dense = DenseNtk.of((MultiLayerNetwork) net, doublePrecision);
            int[] outs = outputs(dense.outputs());
            return new Blocks<DenseNtk.Factors>() {
                public long bytesPerExample(INDArray sample) {
                    return dense.bytesPerExample(sample, outs.length);
                }

                public void prepare(INDArray sample, long tile) {
                }

                public DenseNtk.Factors factors(INDArray x) {
                    return dense.factors(x, outs);
                }

                public INDArray block(DenseNtk.Factors a, DenseNtk.Factors b, long n1, long n2) {
                    return dense.block(a, b, false);
                }

                public void release(DenseNtk.Factors f) {
                    f.release();
                }
            };
        }
        if (method == EmpiricalNtk.Method.STRUCTURED) {
            ConvNtk conv = ConvNtk.of(net, doublePrecision, memoryBudgetBytes);
            int[] outs = outputs(conv.outputs(features));
            return new Blocks<List<ConvNtk.Terms>>() {
                public long bytesPerExample(INDArray sample) {
                    return conv.bytesPerExample(sample, outs.length);
                }

                public void prepare(INDArray sample, long tile) {
                    conv.prepareTiles(sample, tile, outs.length);
                }

                public List<ConvNtk.Terms> factors(INDArray x) {
                    return conv.factors(x, outs);
                }

                public INDArray block(List<ConvNtk.Terms> a, List<ConvNtk.Terms> b, long n1, long n2) {
                    return conv.tileBlock(a, b, n1, n2, outs.length);
                }

                public void release(List<ConvNtk.Terms> f) {
                    ConvNtk.release(f);
                }
            };
        }
        // generic: blocks by EmpiricalNtk itself (half the budget for its Jacobian tiles, half for the blocks)
        EmpiricalNtk generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC)
                .memoryBudgetBytes(Math.max(1, memoryBudgetBytes / 2)).build();
        if (output != null) {
            generic = EmpiricalNtk.builder(net).method(EmpiricalNtk.Method.GENERIC).output(output)
                    .memoryBudgetBytes(Math.max(1, memoryBudgetBytes / 2)).build();
        }
        EmpiricalNtk g = generic;
        return new Blocks<INDArray>() {
            public long bytesPerExample(INDArray sample) {
                // the tiles' inputs; the generic path's own Jacobian tiles live in the other half of the budget
                return sample.length() / sample.size(0) * sample.dataType().width();
            }

            public long reservedBytes() {
                return memoryBudgetBytes / 2;
            }

            public void prepare(INDArray sample, long tile) {
            }

            public INDArray factors(INDArray x) {
                return x;
            }

            public INDArray block(INDArray a, INDArray b, long n1, long n2) {
                return a == b ? g.compute(a) : g.compute(a, b);
            }

            public void release(INDArray f) {
                close(f);
            }
        };
    }

    /** Builder of a {@link TiledNtkGram}. */
    public static final class Builder {
        private final Model net;
        private Integer output;
        private long memoryBudgetBytes = Runtime.getRuntime().maxMemory() / 4;
        private Integer tileRows;
        private boolean doublePrecision;
        private EmpiricalNtk.Method method = EmpiricalNtk.Method.AUTO;

        private Builder(Model net) {
            if (!(net instanceof MultiLayerNetwork || net instanceof ComputationGraph)) {
                throw new IllegalArgumentException("net must be a MultiLayerNetwork or ComputationGraph, got "
                        + (net == null ? "null" : net.getClass().getName()));
            }
            this.net = net;
        }

        /**
         * @param bytes working memory (two tiles' factors and one block; see the class documentation), &gt; 0;
         *              default a quarter of the JVM's max memory
         * @return this
         */
        public Builder memoryBudgetBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memoryBudgetBytes must be positive, got " + bytes);
            }
            this.memoryBudgetBytes = bytes;
            return this;
        }

        /**
         * @param rows rows per tile, &gt;= 1 (default: the largest that fits the budget); must fit the budget
         * @return this
         */
        public Builder tileRows(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("tileRows must be >= 1, got " + rows);
            }
            this.tileRows = rows;
            return this;
        }

        /** @param c the one output whose kernel is wanted (default: the trace over all outputs) @return this */
        public Builder output(int c) {
            if (c < 0) {
                throw new IllegalArgumentException("output must be non-negative, got " + c);
            }
            this.output = c;
            return this;
        }

        /** Computes the blocks in double also for a FLOAT network (the result is float anyway). @return this */
        public Builder doublePrecision() {
            this.doublePrecision = true;
            return this;
        }

        /** @param value the path, as {@link EmpiricalNtk.Builder#method} (default AUTO) @return this */
        public Builder method(EmpiricalNtk.Method value) {
            if (value == null) {
                throw new IllegalArgumentException("method must not be null");
            }
            this.method = value;
            return this;
        }

        /** @return the configured Gram */
        public TiledNtkGram build() {
            return new TiledNtkGram(this);
        }
    }
}
