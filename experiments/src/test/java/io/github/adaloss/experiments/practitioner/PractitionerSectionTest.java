package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.adaloss.experiments.cli.Options;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The section plans one progress step per run of its grids. */
class PractitionerSectionTest {

    @Test
    void plansOneStepPerRunAndLeavesOutFashionMnistConfigurationsWithoutTheData(@TempDir Path empty) {
        PractitionerSection s = new PractitionerSection();
        assertEquals("practitioner", s.id());
        // an empty folder holds no Fashion-MNIST: LSTM (heavy: reduced grid of 10 in the short run) and
        // regression (full grid of 36)
        Options shortRun = Options.parse(new String[] {"--data", empty.toString()});
        assertEquals(10 + 36, s.plannedWork(shortRun).steps());
        Options full = Options.parse(new String[] {"--data", empty.toString(), "--full"});
        assertEquals(2 * (36 + 36), s.plannedWork(full).steps());
        assertEquals(10, OptimizerGrid.table(new org.nd4j.linalg.learning.config.Adam(1e-3), true).size());
        assertEquals(36, OptimizerGrid.table(new org.nd4j.linalg.learning.config.Adam(1e-3), false).size());
    }
}
