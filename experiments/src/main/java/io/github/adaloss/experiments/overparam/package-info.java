/**
 * Over-parameterization sweep (Kawaguchi and Huang, arXiv 1908.02419): training loss and generalization of deep
 * MLPs whose parameter count grows linearly with the sample count, natural vs random labels.
 */
package io.github.adaloss.experiments.overparam;
