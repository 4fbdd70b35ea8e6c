package io.github.adaloss.experiments.run;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.Recovery;
import io.github.adaloss.updater.NonFiniteValueException;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Full-batch training loop that records the loss and the AdaLoss-family accumulator after every update and stops
 * at divergence or, optionally, once the loss has fallen below a fraction of its initial value (the curve is then
 * shorter than {@code iterations + 1}). The loss recorded at index t is {@code net.score(data)} at the parameters
 * after t updates.
 */
public final class Trainer {

    private Trainer() {
    }

    /**
     * @param net        an initialized network (the loss feed is attached here)
     * @param data       the full batch
     * @param iterations number of updates
     * @param stopBelow  stop once {@code loss[t] <= stopBelow * loss[0]}; 0 never stops early
     * @param extra      further listeners (for example an NtkSpectrumListener), may be empty
     * @return loss curve, b curve and divergence flag; {@code experiment}/{@code optimizer}/... are filled by the caller
     */
    public static Curves fullBatch(MultiLayerNetwork net, DataSet data, int iterations, double stopBelow,
                                    TrainingListener... extra) {
        TrainingListener[] listeners = Arrays.copyOf(extra, extra.length + 1);
        listeners[extra.length] = new LossFeedListener(Recovery.failFast());
        net.setListeners(listeners);
        double[] loss = new double[iterations + 1];
        double[] b = new double[iterations + 1];
        b[0] = AdaptiveSteps.accumulator(net).orElse(Double.NaN);
        // net.score() after fit t+1 is the full-batch loss at the parameters after t updates (DL4J computes it
        // before applying the update), so each iteration costs one forward pass, not two.
        int t = 0;
        boolean diverged = false;
        while (t < iterations) {
            try {
                net.fit(data);
            } catch (NonFiniteValueException e) {
                loss[t] = Double.NaN;
                diverged = true;
                break;
            }
            loss[t] = net.score();
            b[t + 1] = AdaptiveSteps.accumulator(net).orElse(Double.NaN);
            if (!Double.isFinite(loss[t]) || loss[t] > RunResult.DIVERGENCE_FACTOR * loss[0]) {
                diverged = true;
                break;
            }
            if (loss[t] <= stopBelow * loss[0]) {
                break;
            }
            t++;
        }
        if (!diverged && t == iterations) {
            loss[t] = net.score(data);
            diverged = !Double.isFinite(loss[t]) || loss[t] > RunResult.DIVERGENCE_FACTOR * loss[0];
        }
        return new Curves(Arrays.copyOf(loss, t + 1), Arrays.copyOf(b, t + 1), diverged);
    }

    /**
     * @param net a classifier
     * @param ds  features and one-hot labels
     * @return the accuracy of {@code net.output} on {@code ds}, 0 if the outputs are not finite
     */
    public static double accuracy(MultiLayerNetwork net, DataSet ds) {
        INDArray out = net.output(ds.getFeatures());
        if (!Double.isFinite(out.sumNumber().doubleValue())) {
            return 0;
        }
        Evaluation e = new Evaluation((int) ds.getLabels().columns());
        e.eval(ds.getLabels(), out);
        return e.accuracy();
    }

    /**
     * Recorded curves.
     *
     * @param loss     loss after each update
     * @param b        accumulator after each update (NaN if none)
     * @param diverged whether training diverged
     */
    public record Curves(double[] loss, double[] b, boolean diverged) {
    }
}
