package io.github.adaloss.it.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.IrisData;
import io.github.adaloss.it.support.LossRecorder;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdamLoss;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.IteratorMultiDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Pipeline 4: a ComputationGraph with two inputs (Iris sepal features, petal features), one dense branch each,
 * a {@link MergeVertex} and a softmax output, trained with AdaLoss and with AdamLoss (plus the loss feed) on
 * multi-data-set mini-batches. Both must cut the loss 4x and reach 90% training accuracy; for both the network's
 * accumulator must equal {@code sqrt(b_0^2 + sum_t |l_t|)} over the recorded losses.
 */
class TwoInputGraphTest {

    private static final double B0 = 1.0;

    private static ComputationGraph graph(IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(4).updater(updater).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("sepal", "petal")
                .addLayer("sepalDense", new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build(),
                        "sepal")
                .addLayer("petalDense", new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build(),
                        "petal")
                .addVertex("merge", new MergeVertex(), "sepalDense", "petalDense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Iris, standardised, as 10 two-input mini-batches of 15. */
    private static List<org.nd4j.linalg.dataset.api.MultiDataSet> twoInputBatches() {
        DataSet all = IrisData.standardized(6);
        List<org.nd4j.linalg.dataset.api.MultiDataSet> batches = new ArrayList<>();
        for (DataSet d : all.batchBy(15)) {
            INDArray x = d.getFeatures();
            batches.add(new MultiDataSet(
                    new INDArray[] {x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).dup(),
                            x.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 4)).dup()},
                    new INDArray[] {d.getLabels()}));
        }
        return batches;
    }

    private static void trainsAndTracksTheAccumulator(IUpdater updater, int epochs) {
        List<org.nd4j.linalg.dataset.api.MultiDataSet> batches = twoInputBatches();
        org.nd4j.linalg.dataset.api.MultiDataSet all = MultiDataSet.merge(batches);
        ComputationGraph graph = graph(updater);
        LossRecorder losses = new LossRecorder();
        graph.addListeners(new LossFeedListener(), losses);
        double before = graph.score(all);

        for (int epoch = 0; epoch < epochs; epoch++) {
            graph.fit(new IteratorMultiDataSetIterator(batches.iterator(), 15));
        }

        double after = graph.score(all);
        assertTrue(after < before / 4, updater + ": loss " + before + " -> " + after);
        Evaluation eval = new Evaluation(3);
        eval.eval(all.getLabels(0), graph.outputSingle(all.getFeatures()));
        assertTrue(eval.accuracy() >= 0.90, updater + ": accuracy " + eval.accuracy());
        assertEquals(10 * epochs, losses.losses().size());
        double b = AdaptiveSteps.accumulator(graph).orElseThrow();
        assertEquals(losses.expectedAccumulator(B0, 1.0, 0.0), b, 1e-4 * b);
    }

    @Test
    void adaLoss() {
        trainsAndTracksTheAccumulator(new AdaLoss(1.0, B0), 30);
    }

    @Test
    void adamLoss() {
        trainsAndTracksTheAccumulator(new AdamLoss(0.1, B0), 30);
    }
}
