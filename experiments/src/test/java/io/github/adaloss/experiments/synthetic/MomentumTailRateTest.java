package io.github.adaloss.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MomentumTailRateTest {

    @Test
    void geometricCurveGivesItsRatio() {
        double[] loss = new double[200];
        for (int t = 0; t < loss.length; t++) {
            loss[t] = 50 * Math.pow(0.93, t);
        }
        assertEquals(0.93, MomentumExperiment.tailRate(loss), 1e-12);
    }

    @Test
    void sublinearCurveGivesARateApproachingOne() {
        double[] loss = new double[400];
        for (int t = 0; t < loss.length; t++) {
            loss[t] = 1.0 / ((t + 1.0) * (t + 1.0));
        }
        // ln(1/t^2) over t in [200, 400): slope ~ -2 / 300
        double rate = MomentumExperiment.tailRate(loss);
        assertTrue(rate > 0.99 && rate < 1, "rate " + rate);
    }

    @Test
    void valuesAtTheFloatingPointFloorAreIgnored() {
        double[] loss = new double[100];
        for (int t = 0; t < loss.length; t++) {
            loss[t] = t < 70 ? Math.pow(0.5, t) : 0;
        }
        assertEquals(0.5, MomentumExperiment.tailRate(loss), 1e-12);
        assertTrue(Double.isNaN(MomentumExperiment.tailRate(new double[] {1, 0, 0, 0, 0, 0})));
    }

    @Test
    void nesterovScheduleIsTMinusOneOverTPlusTwo() {
        NesterovMomentumSchedule s = new NesterovMomentumSchedule();
        // DL4J iterations count from 0; the paper's t from 1
        assertEquals(0.0, s.valueAt(0, 0), 0);
        assertEquals(1.0 / 4, s.valueAt(1, 0), 1e-15);
        assertEquals(98.0 / 101, s.valueAt(98, 0), 1e-15);
    }
}
