package io.github.adaloss.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.ntk.kernel.NtkSpectrum;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The grids hold what the claims need: 4 points per decade, the edge and its fractions, b0 from first steps. */
class GridsTest {

    /** A kernel with eigenvalues 0.5 and 4 (edge 0.5) and initial loss 1/2 (3^2 + 4^2) = 12.5. */
    private static KernelAtInit kernel() {
        return new KernelAtInit(7, new NtkSpectrum(new double[] {0.5, 4}),
                new LinearizedDynamics(new double[][] {{0.5, 0}, {0, 4}}, new double[] {3, 4}));
    }

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
    void gdStepsHoldTheEdgeAndItsFractions() {
        double edge = 0.437;
        double[] g = Grids.gdSteps(false, edge);
        assertEquals(Grids.gdStepCount(false), g.length);
        double[] sorted = g.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, g, 0);
        for (double f : new double[] {0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5}) {
            assertTrue(Arrays.stream(g).anyMatch(x -> x == f * edge), "fraction " + f);
        }
    }

    @Test
    void etaAndB0ComeFromTheKernelSoThatTheFirstStepsAreTheStatedMultiplesOfTheEdge() {
        KernelAtInit k = kernel();
        assertEquals(0.5, k.edge(), 1e-15);
        assertEquals(12.5, k.initialLoss(), 1e-12);
        // eta = 100 * 0.5 * sqrt(1e-6 + 12.5)
        assertEquals(50 * Math.sqrt(1e-6 + 12.5), Grids.adaptiveEta(k), 1e-9);
        double[] b0 = Grids.b0(k);
        assertEquals(Grids.FIRST_STEP_MULTIPLES.length, b0.length);
        assertEquals(Grids.B0_MIN, b0[0], 0);
        for (int i = 0; i < b0.length; i++) {
            double rho = Grids.FIRST_STEP_MULTIPLES[i];
            // AdaLoss's first step eta / sqrt(b0^2 + l_0), by hand
            double first = Grids.adaptiveEta(k) / Math.sqrt(b0[i] * b0[i] + 12.5);
            assertEquals(rho * 0.5, first, 1e-9 * rho, "rho " + rho);
            assertEquals(rho, Grids.firstStepMultiple(k, b0[i]), 1e-9 * rho);
            assertTrue(i == 0 || b0[i] > b0[i - 1], "b0 ascending");
        }
        assertTrue(Arrays.stream(Grids.FIRST_STEP_MULTIPLES).anyMatch(r -> r >= 10)
                && Arrays.stream(Grids.FIRST_STEP_MULTIPLES).anyMatch(r -> r <= 0.1), "the grid crosses the edge");
        assertThrows(IllegalArgumentException.class, () -> Grids.b0For(k, 0));
        assertThrows(IllegalArgumentException.class, () -> Grids.b0For(k, 200));
    }
}
