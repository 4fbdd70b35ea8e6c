package io.github.adaloss.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The grids hold what the claims need: 4 points per decade, the edge and its fractions, the steps eta/b0. */
class GridsTest {

    @Test
    void logGridHasFourPointsPerDecadeWithExactPowersOfTen() {
        double[] g = Grids.gdLogSteps(false);
        assertEquals(4 * 3 + 1, g.length);
        assertEquals(0.1, g[0], 0);
        assertEquals(100, g[g.length - 1], 0);
        assertEquals(1.0, g[4], 0);
        for (int i = 1; i < g.length; i++) {
            assertEquals(Math.pow(10, 0.25), g[i] / g[i - 1], 1e-12, "ratio at " + i);
        }
        assertEquals(4 * 6 + 1, Grids.gdLogSteps(true).length);
        assertEquals(1e-4, Grids.gdLogSteps(true)[0], 0);
        assertEquals(4 * 3 + 1, Grids.adamRates(false).length);
        assertEquals(1e-3, Grids.adamRates(false)[0], 1e-18);
    }

    @Test
    void gdStepsHoldTheEdgeItsFractionsAndTheAdaptiveFirstSteps() {
        double edge = 0.437;
        double[] g = Grids.gdSteps(false, edge);
        assertEquals(Grids.gdStepCount(false), g.length);
        double[] sorted = g.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, g, 0);
        for (double f : new double[] {0.25, 0.5, 0.75, 0.9, 1.0, 1.1}) {
            assertTrue(Arrays.stream(g).anyMatch(x -> x == f * edge), "fraction " + f);
        }
        // eta / b0 for b0 = 1e-3 .. 1e3 with eta = 300: 3e5 .. 0.3
        for (double s : new double[] {3e5, 3e4, 3e3, 300, 30, 3, 0.3}) {
            assertTrue(Arrays.stream(g).anyMatch(x -> Math.abs(x - s) < 1e-9 * s), "eta/b0 = " + s);
        }
    }
}
