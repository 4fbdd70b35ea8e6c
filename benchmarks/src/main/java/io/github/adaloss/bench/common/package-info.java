/**
 * What the benchmark harnesses share: the 784-1024-1024-10 MLP and its fixed mini-batch
 * ({@link io.github.adaloss.bench.common.BenchmarkMlp}) and the per-round statistics
 * ({@link io.github.adaloss.bench.common.RoundStats}).
 */
package io.github.adaloss.bench.common;
