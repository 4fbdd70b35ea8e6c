package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.adaloss.testing.IrisData;
import io.github.adaloss.testing.OptimizerCase;
import io.github.adaloss.testing.SameDiffMlp;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@code sd.save(file, true)} keeps the accumulator {@code b} (in every variable's updater state) and the moments,
 * and {@code SameDiff.load(file, true)} resumes bit-identically to an uninterrupted run, for every optimizer (FLOAT
 * graphs, so the two-slot encoding of {@code b^2} is exercised).
 */
class SameDiffCheckpointTest {

    @TempDir
    Path dir;

    static List<OptimizerCase> cases() {
        return OptimizerCase.all();
    }

    private static SameDiff graph(OptimizerCase c) {
        SameDiff sd = SameDiffMlp.graph(SameDiffMlp.network(c.config().get(), DataType.FLOAT), c.config().get());
        sd.addListeners(new SameDiffLossFeedListener());
        return sd;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void saveWithUpdaterStateThenLoadResumesBitIdentically(OptimizerCase c) throws Exception {
        DataSet ds = IrisData.standardized(DataType.FLOAT);
        SameDiff reference = graph(c);
        SameDiff interrupted = graph(c);
        for (int t = 0; t < 5; t++) {
            reference.fit(ds);
            interrupted.fit(ds);
        }
        File file = dir.resolve("graph.sd").toFile();
        interrupted.save(file, true);
        SameDiff restored = SameDiff.load(file, true);
        assertEquals(c.config().get(), restored.getTrainingConfig().getUpdater(), "updater config round trip");
        assertEquals(5, restored.getTrainingConfig().getIterationCount());
        assertEquals(AdaptiveSteps.accumulator(interrupted), AdaptiveSteps.accumulator(restored), "b in the file");
        if (AdaptiveSteps.accumulator(restored).isPresent()) {
            assertNotEquals(0.7, AdaptiveSteps.accumulator(restored).getAsDouble(), 1e-3, "b has grown from b0");
        }
        restored.addListeners(new SameDiffLossFeedListener());
        for (int t = 0; t < 5; t++) {
            reference.fit(ds);
            restored.fit(ds);
        }
        assertArrayEquals(floats(reference), floats(restored), 0f);
        assertEquals(AdaptiveSteps.accumulator(reference), AdaptiveSteps.accumulator(restored));
        for (String v : SameDiffMlp.VARIABLES) {
            Map<String, INDArray> a = state(reference, v);
            Map<String, INDArray> b = state(restored, v);
            assertEquals(a.keySet(), b.keySet(), v);
            for (String key : a.keySet()) {
                assertArrayEquals(a.get(key).dup().reshape(a.get(key).length()).toFloatVector(),
                        b.get(key).dup().reshape(b.get(key).length()).toFloatVector(), 0f, v + " " + key);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, INDArray> state(SameDiff sd, String variable) {
        return (Map<String, INDArray>) sd.getUpdaterMap().get(variable).getState();
    }

    private static float[] floats(SameDiff sd) {
        double[] d = SameDiffMlp.graphParams(sd);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
