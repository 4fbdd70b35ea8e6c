package io.github.adaloss.ntk.spark;

import java.io.Serializable;

/**
 * One block of the Gram as a task returns it: entries {@code (row0 + r, col0 + c) = values[r * cols + c]}, computed
 * in the executor JVM {@code pid} (recorded so that tests and logs can tell where the work ran).
 *
 * @param row0   first row
 * @param col0   first column
 * @param rows   rows of the block
 * @param cols   columns of the block
 * @param values row-major entries, float
 * @param pid    process id of the JVM that computed the block
 */
record Block(int row0, int col0, int rows, int cols, float[] values, long pid) implements Serializable {
}
