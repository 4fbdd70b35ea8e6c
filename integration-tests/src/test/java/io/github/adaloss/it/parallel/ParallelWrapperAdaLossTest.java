package io.github.adaloss.it.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.IrisData;
import io.github.adaloss.it.support.Nets;
import io.github.adaloss.parallel.ParallelFit;
import io.github.adaloss.updater.AdaLoss;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Pipeline 6: ParallelWrapper (2 workers, parameter + updater averaging every round) training Iris with AdaLoss,
 * the loss feed set on the wrapper (one stateless instance shared by the workers). With
 * {@link ParallelFit#fit} the network-level accumulator {@code b} carries over from one {@code fit} call to the
 * next and only grows; with a raw {@code wrapper.fit} it is back at {@code b0} after every call.
 */
class ParallelWrapperAdaLossTest {

    private static final double B0 = 1.0;

    private static ListDataSetIterator<DataSet> iris() {
        DataSet all = IrisData.standardized(3);
        return new ListDataSetIterator<>(all.asList(), 10);
    }

    private static ParallelWrapper wrapper(MultiLayerNetwork net) {
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(0)
                .averagingFrequency(1).averageUpdaters(true).build();
        wrapper.setListeners(new LossFeedListener());
        return wrapper;
    }

    @Test
    void adaLossTrainsAndItsAccumulatorSurvivesSuccessiveFits() {
        MultiLayerNetwork net = Nets.irisClassifier(new AdaLoss(1.0, B0), 5, 16);
        DataSet all = iris().next(150);
        double before = Nets.loss(net, all);
        ParallelWrapper wrapper = wrapper(net);

        double previous = B0;
        for (int call = 0; call < 10; call++) {
            ParallelFit.fit(wrapper, net, iris());
            double b = AdaptiveSteps.accumulator(net).orElseThrow();
            assertTrue(b > previous, "fit call " + call + ": b " + previous + " -> " + b + " must grow");
            previous = b;
        }
        double after = Nets.loss(net, all);
        assertTrue(after < before / 4, "loss " + before + " -> " + after + " over 10 ParallelWrapper fits");
        wrapper.shutdown();
    }

    @Test
    void rawWrapperFitResetsTheAccumulator() {
        MultiLayerNetwork net = Nets.irisClassifier(new AdaLoss(1.0, B0), 5, 16);
        ParallelWrapper wrapper = wrapper(net);
        wrapper.fit(iris());
        // DL4J's DefaultTrainer dropped the trained updater: a fresh one starts again from b0.
        assertEquals(B0, AdaptiveSteps.accumulator(net).orElseThrow(), 1e-7);
        wrapper.shutdown();
    }
}
