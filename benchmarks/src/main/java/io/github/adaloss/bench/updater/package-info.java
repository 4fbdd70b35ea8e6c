/** JMH benchmarks of the AdaLoss-family updaters against DL4J's own. */
package io.github.adaloss.bench.updater;
