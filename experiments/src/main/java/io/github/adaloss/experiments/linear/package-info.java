/**
 * The AdaLoss paper's linear-regression experiment: AdaLoss, AdaGrad-Norm and gradient descent over b0 on a
 * least-squares problem, against the closed-form rates of gradient descent.
 */
package io.github.adaloss.experiments.linear;
