/**
 * The practitioner suite (issue 11): DL4J's own example configurations (a dense MLP, LeNet, an LSTM sequence
 * classifier, an MSE regression on realistic-scale targets, a ResNet-style ComputationGraph with BatchNorm and weight
 * decay, transfer-learning fine-tuning with a new head) trained with their published updater and with the AdaLoss
 * family at its defaults and over b0 and eta; the goals of the issue computed from the numbers; and the eta sweep the
 * defaults were chosen from. {@link io.github.adaloss.experiments.practitioner.PractitionerSection} is the main job's
 * section; {@link io.github.adaloss.experiments.practitioner.PractitionerMain} runs the suite or the sweep alone.
 * See docs/practitioner.md.
 */
package io.github.adaloss.experiments.practitioner;
