package io.github.adaloss.datasets;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the MNIST IDX format, gzip-compressed (as Debian's {@code dataset-fashion-mnist} installs it) or
 * plain: big-endian magic {@code 0x00000801} (labels, 1 dimension) or {@code 0x00000803} (images, 3 dimensions),
 * the dimension sizes, then unsigned bytes.
 */
public final class IdxReader {

    private IdxReader() {
    }

    /**
     * @param file  an IDX file, {@code .gz} or plain
     * @param limit read at most this many items ({@code >= 1})
     * @return the items as unsigned values: [count][itemSize]
     * @throws IOException if the file is unreadable or not an unsigned-byte IDX file
     */
    public static int[][] read(Path file, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            int dims = magic & 0xff;
            if ((magic >>> 8) != 0x08 || dims < 1 || dims > 3) {
                throw new IOException(file + " is not an unsigned-byte IDX file (magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            int count = data.readInt();
            int itemSize = 1;
            for (int i = 1; i < dims; i++) {
                itemSize *= data.readInt();
            }
            int n = Math.min(count, limit);
            int[][] items = new int[n][itemSize];
            byte[] buffer = new byte[itemSize];
            for (int i = 0; i < n; i++) {
                data.readFully(buffer);
                for (int j = 0; j < itemSize; j++) {
                    items[i][j] = buffer[j] & 0xff;
                }
            }
            return items;
        }
    }
}
