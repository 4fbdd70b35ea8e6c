package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.adaloss.testing.IrisRegression;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Issue 21, defect 4: whatever the order of the listeners, none sees at {@code iterationDone} (or saves) the
 * parameters or updater state of a rejected step. The network mixes a DL4J updater (Adam, hidden layer) with
 * AdaLoss (output layer); a NaN label at iteration 3 is rejected with snapshotEvery = 1, so the state after
 * iteration 3 must be the state after iteration 1 (the snapshot taken before iteration 2's update), b doubled.
 */
class ListenerOrderTest {

    /** Copies parameters and updater state at every iterationDone. */
    static final class StateRecorder extends BaseTrainingListener {
        final List<double[]> params = new ArrayList<>();
        final List<double[]> state = new ArrayList<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            params.add(model.params().toDoubleVector());
            state.add(((MultiLayerNetwork) model).getUpdater().getStateViewArray().toDoubleVector());
        }
    }

    private static void check(Path dir, boolean checkpointBeforeFeed) throws Exception {
        DataSet ds = IrisRegression.data(DataType.DOUBLE);
        DataSet bad = ds.copy();
        bad.getLabels().putScalar(7, 0, Double.NaN);
        StateRecorder before = new StateRecorder();
        StateRecorder after = new StateRecorder();
        LossFeedListener feed = new LossFeedListener(Recovery.builder().snapshotEvery(1).build());
        CheckpointListener checkpoints = new CheckpointListener.Builder(dir.toFile()).saveEveryNIterations(1)
                .keepAll().build();
        TrainingListener[] order = checkpointBeforeFeed
                ? new TrainingListener[] {checkpoints, before, feed, after}
                : new TrainingListener[] {before, feed, after, checkpoints};
        MultiLayerNetwork net = IrisRegression.net(new Adam(0.01), new AdaLoss(0.1, 1), DataType.DOUBLE,
                Activation.TANH, order);
        for (int t = 0; t < 5; t++) {
            net.fit(t == 3 ? bad : ds);
        }
        assertEquals(1, feed.getRecoveryCount());
        int n = before.state.get(1).length;
        for (StateRecorder r : List.of(before, after)) {
            assertArrayEquals(r.params.get(1), r.params.get(3), 0.0, "parameters seen after the rejected step");
            // every state entry but the AdaLoss block's accumulator slots (the last 4) is restored
            assertArrayEquals(Arrays.copyOf(r.state.get(1), n - 4), Arrays.copyOf(r.state.get(3), n - 4), 0.0,
                    "updater state seen after the rejected step");
        }
        int number = CheckpointListener.availableCheckpoints(dir.toFile()).stream()
                .filter(c -> c.getIteration() == 3).findFirst().orElseThrow().getCheckpointNum();
        MultiLayerNetwork saved = CheckpointListener.loadCheckpointMLN(dir.toFile(), number);
        assertArrayEquals(before.params.get(3), saved.params().toDoubleVector(), 0.0, "checkpoint 3 parameters");
        assertArrayEquals(before.state.get(3), saved.getUpdater().getStateViewArray().toDoubleVector(), 0.0,
                "checkpoint 3 updater state");
    }

    @Test
    void listenersBeforeTheFeedNeverSeeARejectedStep(@TempDir Path dir) throws Exception {
        check(dir, true);
    }

    @Test
    void listenersAfterTheFeedNeverSeeARejectedStep(@TempDir Path dir) throws Exception {
        check(dir, false);
    }

    /** Listeners at onGradientCalculation, before or after the feed, see one state: loss and parameters agree. */
    @Test
    void lossAndParametersAgreeAtOnGradientCalculation() {
        DataSet ds = IrisRegression.data(DataType.DOUBLE);
        DataSet spike = new DataSet(ds.getFeatures(), ds.getLabels().mul(1e4));
        List<double[]> mismatch = new ArrayList<>();
        BaseTrainingListener probe = new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                MultiLayerNetwork copy = ((MultiLayerNetwork) model).clone();
                copy.setParams(model.params().dup());
                double recomputed = copy.score(((MultiLayerNetwork) model).getIterationCount() == 3 ? spike : ds);
                mismatch.add(new double[] {model.score(), recomputed});
            }
        };
        MultiLayerNetwork net = IrisRegression.net(new AdaLoss(0.1, 1), DataType.DOUBLE, Activation.TANH, probe,
                new LossFeedListener(), probe);
        for (int t = 0; t < 5; t++) {
            net.fit(t == 3 ? spike : ds);
        }
        assertEquals(1, AdaptiveSteps.recoveries(net).getAsLong());
        for (double[] m : mismatch) {
            assertEquals(m[0], m[1], 1e-9 * Math.abs(m[0]), "model.score() is the loss at model.params()");
        }
    }
}
