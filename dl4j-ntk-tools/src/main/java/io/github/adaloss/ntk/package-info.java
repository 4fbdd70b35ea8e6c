/**
 * Neural tangent kernel tools for DL4J: the papers' two-layer network ({@code network}), exact empirical and
 * analytic NTK Gram matrices with their spectra ({@code kernel}), and a training listener that tracks the spectrum
 * ({@code listener}).
 */
package io.github.adaloss.ntk;
