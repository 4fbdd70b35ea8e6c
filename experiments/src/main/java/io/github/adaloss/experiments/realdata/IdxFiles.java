package io.github.adaloss.experiments.realdata;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the MNIST IDX format (optionally gzip-compressed, as Debian's dataset-fashion-mnist installs it):
 * big-endian magic {@code 0x00000801} (labels, 1 dimension) or {@code 0x00000803} (images, 3 dimensions), the
 * dimension sizes, then unsigned bytes.
 */
public final class IdxFiles {

    private IdxFiles() {
    }

    /**
     * @param file  an IDX file, {@code .gz} or plain
     * @param limit read at most this many items
     * @return the items as unsigned values: [count][itemSize]
     * @throws IOException if the file is unreadable or not IDX
     */
    public static int[][] read(Path file, int limit) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            int dims = magic & 0xff;
            if ((magic >>> 8) != 0x08 || dims < 1 || dims > 3) {
                throw new IOException(file + " is not an unsigned-byte IDX file (magic " + Integer.toHexString(magic)
                        + ")");
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
