package io.github.adaloss.it.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.it.support.IrisData;
import io.github.adaloss.it.support.Nets;
import io.github.adaloss.updater.AdaLoss;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Pipeline 2: {@link CheckpointListener} (it always saves the updater state) checkpoints an AdaLoss run; the latest checkpoint,
 * restored and trained on the remaining mini-batches, ends with exactly the parameters and accumulator of the
 * uninterrupted run.
 *
 * <p>Indexing, as DL4J M2.1 does it: {@code iterationDone(model, i, epoch)} runs after step {@code i} (0-based) has
 * been applied and before the network's iteration count is incremented, so the checkpoint taken at
 * {@code i} holds the state after {@code i + 1} steps but records iteration count {@code i}.
 */
class CheckpointResumeTest {

    private static final int STEPS = 30;
    private static final int EVERY = 8;

    @Test
    void resumingTheLatestCheckpointReproducesUninterruptedTraining(@TempDir Path dir) {
        DataSet all = IrisData.standardized(11);
        List<DataSet> batches = all.batchBy(5);
        assertEquals(STEPS, batches.size());

        MultiLayerNetwork uninterrupted = Nets.irisClassifier(new AdaLoss(1.0, 1.0), 21, 12);
        uninterrupted.addListeners(new LossFeedListener(), new CheckpointListener.Builder(dir.toFile())
                .saveEveryNIterations(EVERY).keepLast(2).deleteExisting(true).build());
        for (DataSet batch : batches) {
            uninterrupted.fit(batch);
        }

        File root = dir.toFile();
        Checkpoint latest = CheckpointListener.lastCheckpoint(root);
        assertEquals(24, latest.getIteration(), "checkpoints at iterations 8, 16, 24; the latest is 24");
        assertEquals(2, CheckpointListener.availableCheckpoints(root).size(), "keepLast(2)");
        MultiLayerNetwork resumed = CheckpointListener.loadCheckpointMLN(root, latest);
        resumed.addListeners(new LossFeedListener());
        double bAtCheckpoint = AdaptiveSteps.accumulator(resumed).orElseThrow();
        assertTrue(bAtCheckpoint > 1.0, "the checkpoint carries the accumulator, b = " + bAtCheckpoint);
        for (DataSet batch : batches.subList(latest.getIteration() + 1, STEPS)) {
            resumed.fit(batch);
        }

        assertArrayEquals(uninterrupted.params().toFloatVector(), resumed.params().toFloatVector(), 0f);
        assertEquals(AdaptiveSteps.accumulator(uninterrupted).orElseThrow(),
                AdaptiveSteps.accumulator(resumed).orElseThrow(), 0.0);
    }
}
