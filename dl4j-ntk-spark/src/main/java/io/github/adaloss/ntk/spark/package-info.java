/**
 * The empirical NTK Gram of a large probe set on a Spark cluster: {@link io.github.adaloss.ntk.spark.SparkNtkGram}
 * runs the blocks of {@link io.github.adaloss.ntk.kernel.TiledNtkGram} as Spark tasks and assembles them in a
 * {@link io.github.adaloss.ntk.kernel.FloatGram} on the driver.
 */
package io.github.adaloss.ntk.spark;
