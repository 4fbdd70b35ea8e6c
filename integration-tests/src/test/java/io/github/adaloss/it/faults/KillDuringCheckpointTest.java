package io.github.adaloss.it.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A training JVM ({@link CheckpointChild}, spawned with this test's class path) is killed with SIGKILL right after
 * it announces a checkpoint save and the save's zip file appears, so in the middle of {@link CheckpointListener}'s
 * {@code ModelSerializer.writeModel} (a 4 MB zip; a kill that lands after the save is counted apart). Then: every checkpoint the record file lists loads and is
 * bit-exact to the state of its iteration (replayed in this JVM: training is deterministic given the seed), and
 * training resumed from the last complete checkpoint reaches, bit for bit, the state of an uninterrupted run.
 * Kill points: after the announcement of iterations 3, 6 (a rejected iteration just before: recovery) and 8.
 */
class KillDuringCheckpointTest {

    private static final int ITERATIONS = 12;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void killedDuringSaveResumesFromTheLastCompleteCheckpoint(@TempDir Path root) throws Exception {
        List<DataSet> batches = FaultNets.batches();
        // the uninterrupted run: parameters and updater state after every iteration
        List<float[]> params = new ArrayList<>();
        List<float[]> states = new ArrayList<>();
        MultiLayerNetwork replay = CheckpointChild.network();
        replay.setListeners(new LossFeedListener());
        for (int t = 0; t < ITERATIONS; t++) {
            replay.fit(CheckpointChild.batch(batches, t));
            params.add(replay.params().toFloatVector());
            states.add(replay.getUpdater().getStateViewArray().toFloatVector());
        }
        assertEquals(CheckpointChild.BAD_ITERATIONS.size(), AdaptiveSteps.recoveries(replay).getAsLong());

        FaultTally tally = new FaultTally("SIGKILL during CheckpointListener save (child JVM)");
        for (int killAt : new int[] {3, 6, 8}) {
            File dir = root.resolve("kill-" + killAt).toFile();
            assertTrue(dir.mkdirs());
            Process child = spawn(dir);
            boolean killed = false;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals("SAVE " + killAt)) {
                        // CheckpointListener's first save is at iteration 1, numbered 0: wait until the zip of
                        // this iteration exists (ModelSerializer is writing it), then SIGKILL (Linux)
                        File zip = new File(dir, "checkpoint_" + (killAt - 1) + "_MultiLayerNetwork.zip");
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (!zip.exists() && child.isAlive() && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        child.destroyForcibly();
                        killed = true;
                        break;
                    }
                }
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            assertTrue(killed, "the child reached the save of iteration " + killAt);
            tally.add("injected", 1);

            List<Checkpoint> listed = CheckpointListener.availableCheckpoints(dir);
            Set<String> listedFiles = new HashSet<>();
            for (Checkpoint c : listed) {
                listedFiles.add(c.getFilename());
                MultiLayerNetwork saved = CheckpointListener.loadCheckpointMLN(dir, c);
                assertArrayEquals(params.get(c.getIteration()), saved.params().toFloatVector(), 0f,
                        "checkpoint of iteration " + c.getIteration() + ": parameters");
                assertArrayEquals(states.get(c.getIteration()), saved.getUpdater().getStateViewArray()
                        .toFloatVector(), 0f, "checkpoint of iteration " + c.getIteration() + ": updater state");
                tally.add("checkpoints verified bit-exact", 1);
            }
            File[] partial = dir.listFiles((d, name) -> name.endsWith(".zip") && !listedFiles.contains(name));
            tally.add("partial checkpoint files left by the kill (not listed, ignored)", partial.length);
            Checkpoint last = listed.get(listed.size() - 1);
            tally.add(last.getIteration() >= killAt ? "kills after the save completed" : "kills during the save", 1);
            tally.add("iterations lost (redone after resume)", Math.max(0, killAt - last.getIteration()));

            MultiLayerNetwork resumed = CheckpointListener.loadCheckpointMLN(dir, last);
            resumed.setIterationCount(last.getIteration() + 1); // saved at iterationDone, before the increment
            resumed.setListeners(new LossFeedListener());
            for (int t = last.getIteration() + 1; t < ITERATIONS; t++) {
                resumed.fit(CheckpointChild.batch(batches, t));
            }
            assertArrayEquals(params.get(ITERATIONS - 1), resumed.params().toFloatVector(), 0f,
                    "resumed run: parameters at the end");
            assertArrayEquals(states.get(ITERATIONS - 1), resumed.getUpdater().getStateViewArray().toFloatVector(),
                    0f, "resumed run: updater state at the end");
            tally.add("survived", 1);
        }
        assertTrue(tally.get("kills during the save") >= 1, "at least one kill landed in the middle of a save");
        tally.add("corrupted listed checkpoints", 0);
        tally.report();
    }

    private static Process spawn(File dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                CheckpointChild.class.getName(), dir.getAbsolutePath(), Integer.toString(ITERATIONS));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }
}
