package io.github.adaloss.ntk.kernel;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A symmetric n x n matrix of floats (a Gram matrix, for example from {@link TiledNtkGram}), row-major, held either
 * in a Java {@code float[]} ({@link #inMemory}, while {@code n^2} fits in one array: n &lt;= 46 340) or in a file
 * mapped into memory ({@link #create}, {@link #open}; any n up to 2^31 - 1 rows). The file is the bare matrix, no
 * header: {@code 4 n^2} bytes, little-endian float32, row i at byte offset {@code 4 n i}, so that for example
 * {@code numpy.memmap(path, dtype='<f4', shape=(n, n))} reads it. A mapped region of Java is at most 2^31 - 1 bytes,
 * so a larger file is mapped as several regions of whole rows.
 *
 * <p>As a {@link SymmetricOperator} its product with a vector reads every entry once (float products, double sums),
 * rows split over the common fork-join pool; each row's sum is in a fixed order, so the result does not depend on
 * the threads. Memory: the array (4 n^2 bytes of heap) or, mapped, none on the Java heap (the operating system's
 * page cache holds the pages it reads, reclaimable). Not thread-safe for writes.
 */
public final class FloatGram implements SymmetricOperator, Closeable {

    /** Largest size of one mapped region. */
    static final long MAX_REGION_BYTES = Integer.MAX_VALUE;

    /** Rows per task of the parallel product. */
    private static final int ROWS_PER_TASK = 64;

    private final int n;
    private final float[] heap;
    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer[] regions;
    private final FloatBuffer[] views;
    private final int rowsPerRegion;

    private FloatGram(int n, float[] heap, Path file, FileChannel channel, MappedByteBuffer[] regions,
                      int rowsPerRegion) {
        this.n = n;
        this.heap = heap;
        this.file = file;
        this.channel = channel;
        this.regions = regions;
        this.rowsPerRegion = rowsPerRegion;
        if (regions != null) {
            this.views = new FloatBuffer[regions.length];
            for (int r = 0; r < regions.length; r++) {
                regions[r].order(ByteOrder.LITTLE_ENDIAN);
                views[r] = regions[r].asFloatBuffer();
            }
        } else {
            this.views = null;
        }
    }

    /**
     * @param n size, in [1, 46 340] (n^2 entries in one Java array)
     * @return a zero matrix on the Java heap (4 n^2 bytes)
     */
    public static FloatGram inMemory(int n) {
        if (n < 1 || (long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n must be in [1, 46340] for an in-memory FloatGram (n^2 floats in "
                    + "one Java array), got " + n + "; use FloatGram.create(file, n)");
        }
        return new FloatGram(n, new float[n * n], null, null, null, 0);
    }

    /**
     * Creates (or truncates) {@code file} to {@code 4 n^2} bytes of zeros and maps it read-write.
     *
     * @param file the file, in an existing directory
     * @param n    size, &gt;= 1
     * @return the mapped matrix
     * @throws IOException if the file cannot be created or mapped
     */
    public static FloatGram create(Path file, int n) throws IOException {
        return create(file, n, MAX_REGION_BYTES);
    }

    /** {@link #create} with regions of at most {@code maxRegionBytes} (tests: several regions at small n). */
    static FloatGram create(Path file, int n, long maxRegionBytes) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return map(file, ch, n, FileChannel.MapMode.READ_WRITE, maxRegionBytes);
    }

    /**
     * Maps an existing matrix file (as written by {@link #create}: {@code 4 n^2} bytes) read-only.
     *
     * @param file the file
     * @return the mapped matrix; n from the file's size
     * @throws IOException if it cannot be read
     */
    public static FloatGram open(Path file) throws IOException {
        return open(file, MAX_REGION_BYTES);
    }

    /** {@link #open} with regions of at most {@code maxRegionBytes}. */
    static FloatGram open(Path file, long maxRegionBytes) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file must be an existing regular file, got " + file);
        }
        long bytes = Files.size(file);
        long n = Math.round(Math.sqrt(bytes / 4.0));
        if (bytes == 0 || n * n * 4 != bytes || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("file " + file + " has " + bytes + " bytes, not 4 n^2 for an n x n "
                    + "float matrix");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return map(file, ch, (int) n, FileChannel.MapMode.READ_ONLY, maxRegionBytes);
    }

    private static FloatGram map(Path file, FileChannel ch, int n, FileChannel.MapMode mode, long maxRegionBytes)
            throws IOException {
        long rowBytes = 4L * n;
        if (maxRegionBytes < rowBytes) {
            ch.close();
            throw new IllegalArgumentException("maxRegionBytes must hold one row (" + rowBytes + " bytes), got "
                    + maxRegionBytes);
        }
        int rowsPerRegion = (int) Math.min(n, maxRegionBytes / rowBytes);
        int count = (n + rowsPerRegion - 1) / rowsPerRegion;
        MappedByteBuffer[] regions = new MappedByteBuffer[count];
        try {
            for (int r = 0; r < count; r++) {
                long row0 = (long) r * rowsPerRegion;
                long rows = Math.min(rowsPerRegion, n - row0);
                regions[r] = ch.map(mode, row0 * rowBytes, rows * rowBytes);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new FloatGram(n, null, file, ch, regions, rowsPerRegion);
    }

    @Override
    public int size() {
        return n;
    }

    /** @return the mapped file, or null for an in-memory matrix */
    public Path file() {
        return file;
    }

    /** @return number of mapped regions (0 in memory) */
    public int regions() {
        return regions == null ? 0 : regions.length;
    }

    /** @return entry (i, j) */
    public float get(int i, int j) {
        checkIndex(i, "i");
        checkIndex(j, "j");
        if (heap != null) {
            return heap[i * n + j];
        }
        return views[i / rowsPerRegion].get((i % rowsPerRegion) * n + j);
    }

    /**
     * Copies {@code length} entries of row {@code i} from column {@code j0} into {@code dst[offset..]}.
     *
     * @param i      row
     * @param j0     first column
     * @param dst    destination
     * @param offset first index in dst
     * @param length entries
     */
    public void getRow(int i, int j0, float[] dst, int offset, int length) {
        checkIndex(i, "i");
        if (j0 < 0 || length < 0 || j0 + (long) length > n) {
            throw new IllegalArgumentException("columns [" + j0 + ", " + (j0 + (long) length) + ") outside [0, " + n
                    + ")");
        }
        if (heap != null) {
            System.arraycopy(heap, i * n + j0, dst, offset, length);
        } else {
            views[i / rowsPerRegion].get((i % rowsPerRegion) * n + j0, dst, offset, length);
        }
    }

    /**
     * Writes a block: entries (row0 + r, col0 + c) = {@code block[r * cols + c]}.
     *
     * @param row0  first row
     * @param col0  first column
     * @param rows  rows of the block
     * @param cols  columns of the block
     * @param block row-major values, at least rows * cols
     */
    public void putBlock(int row0, int col0, int rows, int cols, float[] block) {
        if (row0 < 0 || col0 < 0 || rows < 0 || cols < 0 || row0 + (long) rows > n || col0 + (long) cols > n) {
            throw new IllegalArgumentException("block rows [" + row0 + ", " + (row0 + (long) rows) + "), columns ["
                    + col0 + ", " + (col0 + (long) cols) + ") outside the " + n + " x " + n + " matrix");
        }
        if (block == null || block.length < (long) rows * cols) {
            throw new IllegalArgumentException("block must hold rows * cols = " + (long) rows * cols + " values, got "
                    + (block == null ? "null" : block.length));
        }
        if (regions != null && channelReadOnly()) {
            throw new IllegalStateException("FloatGram " + file + " is mapped read-only");
        }
        for (int r = 0; r < rows; r++) {
            int i = row0 + r;
            if (heap != null) {
                System.arraycopy(block, r * cols, heap, i * n + col0, cols);
            } else {
                views[i / rowsPerRegion].put((i % rowsPerRegion) * n + col0, block, r * cols, cols);
            }
        }
    }

    private boolean channelReadOnly() {
        return regions[0].isReadOnly();
    }

    /**
     * {@inheritDoc} Reads all n^2 entries once.
     */
    @Override
    public void multiply(double[] x, double[] y) {
        if (x == null || x.length != n) {
            throw new IllegalArgumentException("x must have length " + n + ", got "
                    + (x == null ? "null" : x.length));
        }
        if (y == null || y.length != n || y == x) {
            throw new IllegalArgumentException("y must be a different array of length " + n + ", got "
                    + (y == null ? "null" : y == x ? "x itself" : y.length));
        }
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(t -> {
            float[] row = new float[n];
            int i1 = Math.min(n, (t + 1) * ROWS_PER_TASK);
            for (int i = t * ROWS_PER_TASK; i < i1; i++) {
                getRow(i, 0, row, 0, n);
                y[i] = dot(row, x);
            }
        });
    }

    /** A float row times a double vector, four partial sums in double. */
    private static double dot(float[] row, double[] x) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int m = row.length;
        int j = 0;
        for (; j + 3 < m; j += 4) {
            s0 += row[j] * x[j];
            s1 += row[j + 1] * x[j + 1];
            s2 += row[j + 2] * x[j + 2];
            s3 += row[j + 3] * x[j + 3];
        }
        for (; j < m; j++) {
            s0 += row[j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * @return the matrix as a FLOAT [n, n] INDArray (a copy; for n^2 below 2^31 entries)
     */
    public INDArray toINDArray() {
        if ((long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a " + n + " x " + n + " FloatGram is too large for toINDArray()");
        }
        float[] all = new float[n * n];
        for (int i = 0; i < n; i++) {
            getRow(i, 0, all, i * n, n);
        }
        return Nd4j.create(all, new long[] {n, n}, DataType.FLOAT);
    }

    /** Writes the mapped pages to the file (no-op in memory). */
    public void flush() {
        if (regions != null && !channelReadOnly()) {
            for (MappedByteBuffer r : regions) {
                r.force();
            }
        }
    }

    /**
     * Flushes and closes the file channel; the mapping itself stays valid until the object is garbage collected
     * (Java has no unmap).
     */
    @Override
    public void close() {
        if (channel != null) {
            flush();
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void checkIndex(int i, String name) {
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException(name + " must be in [0, " + n + "), got " + i);
        }
    }

    @Override
    public String toString() {
        return "FloatGram(n=" + n + (file == null ? ", in memory" : ", file=" + file + ", regions=" + regions.length)
                + ")";
    }
}
