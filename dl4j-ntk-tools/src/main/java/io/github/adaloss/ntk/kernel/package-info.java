/**
 * Neural tangent kernel Gram matrices and their spectra: the analytic ReLU kernels of the two-layer network
 * ({@link io.github.adaloss.ntk.kernel.ReluNtk}), the exact empirical NTK of any DL4J network
 * ({@link io.github.adaloss.ntk.kernel.EmpiricalNtk}), and eigenvalue summaries
 * ({@link io.github.adaloss.ntk.kernel.NtkSpectrum}).
 */
package io.github.adaloss.ntk.kernel;
