/**
 * The over-parameterized two-layer ReLU network of Du, Zhai, Poczos, Singh (arXiv:1810.02054) as an ordinary DL4J
 * {@code MultiLayerNetwork}, its synthetic data, and input normalization.
 */
package io.github.adaloss.ntk.network;
