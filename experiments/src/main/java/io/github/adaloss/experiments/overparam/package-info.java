/**
 * Over-parameterization sweep (Kawaguchi and Huang, arXiv 1908.02419): iterations of full-batch gradient descent to a
 * training-loss threshold for depth-3 MLPs against P/n (Iris) and the parameters needed against n (Fashion-MNIST
 * subsets), natural vs random labels, and generalization against chance; the networks run in plain Java
 * ({@link io.github.adaloss.experiments.overparam.PlainMlp}, checked against DL4J's).
 */
package io.github.adaloss.experiments.overparam;
