package io.github.adaloss.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunResultTest {

    private static RunResult run(boolean diverged, double... loss) {
        return new RunResult("e", "AdaLoss", "b0", 0.1, 10, 1, loss, new double[loss.length], diverged, Double.NaN);
    }

    @Test
    void iterationsToTargetIsTheFirstIndexAtOrBelowTheRelativeTarget() {
        assertEquals(2, run(false, 10, 1, 1e-3, 1e-9).iterationsToTarget());
        assertEquals(1, run(false, 10, 1e-3).iterationsToTarget());
        assertEquals(-1, run(false, 10, 1.0001e-3).iterationsToTarget());
        assertEquals("2", run(false, 10, 1, 1e-3).status());
        assertEquals("not reached", run(false, 10, 1).status());
        assertEquals("diverged", run(true, 10, 1e12).status());
        assertEquals("AdaLoss b0=0.1 m=10", run(false, 1).label());
    }
}
