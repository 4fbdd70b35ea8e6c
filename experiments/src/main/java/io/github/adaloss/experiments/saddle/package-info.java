/** Saddle escape by adaptive methods (Staib et al., arXiv 1901.09149): escape times and gradient-noise isotropy. */
package io.github.adaloss.experiments.saddle;
