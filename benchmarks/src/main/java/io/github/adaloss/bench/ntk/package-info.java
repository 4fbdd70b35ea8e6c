/**
 * JMH benchmark of the exact empirical NTK (issue 3): the dense fast path, the generic per-example path, the GEMM
 * floor of the dense path and the machine's GEMM rate, and the eigen-decomposition of the kernel; plus
 * {@link io.github.adaloss.bench.ntk.NtkReport}, which turns the JMH CSV into the README table.
 */
package io.github.adaloss.bench.ntk;
