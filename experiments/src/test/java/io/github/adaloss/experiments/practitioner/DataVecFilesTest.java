package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Generated data written to files and read back through DataVec give back the same numbers. */
class DataVecFilesTest {

    @Test
    void regressionCsvRoundTrips(@TempDir Path dir) throws Exception {
        double[][] rows = Friedman1.generate(37, 3);
        Path f = dir.resolve("f.csv");
        DataVecFiles.writeCsv(rows, f);
        DataSet ds = DataVecFiles.readRegression(f, 11, 37);
        assertArrayEquals(new long[] {37, 10}, ds.getFeatures().shape());
        assertArrayEquals(new long[] {37, 1}, ds.getLabels().shape());
        for (int i = 0; i < 37; i++) {
            for (int j = 0; j < 10; j++) {
                assertEquals(rows[i][j], ds.getFeatures().getDouble(i, j), 1e-6);
            }
            assertEquals(rows[i][10], ds.getLabels().getDouble(i, 0), 1e-5 * Math.abs(rows[i][10]) + 1e-6);
        }
    }

    @Test
    void sequencesRoundTripWithTheLabelOnTheLastStep(@TempDir Path dir) throws Exception {
        Random r = new Random(1);
        double[][] series = {SyntheticControl.series(2, r), SyntheticControl.series(5, r), SyntheticControl.series(0, r)};
        int[] labels = {2, 5, 0};
        DataVecFiles.writeSequences(dir, series, labels);
        DataSet ds = DataVecFiles.readSequences(dir, 3, 6);
        assertArrayEquals(new long[] {3, 1, 60}, ds.getFeatures().shape());
        assertArrayEquals(new long[] {3, 6, 60}, ds.getLabels().shape());
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 60; t++) {
                assertEquals(series[i][t], ds.getFeatures().getDouble(i, 0, t), 1e-4);
            }
            assertEquals(1.0, ds.getLabels().getDouble(i, labels[i], 59), 0);
        }
        // ALIGN_END: only the last step carries a label
        if (ds.getLabelsMaskArray() != null) {
            assertEquals(3.0, ds.getLabelsMaskArray().sumNumber().doubleValue(), 0);
            assertEquals(1.0, ds.getLabelsMaskArray().getDouble(0, 59), 0);
        }
    }

    @Test
    void syntheticControlFollowsItsEquations() {
        Random r = new Random(9);
        double[] flat = SyntheticControl.series(0, r);
        double mean = 0;
        for (double v : flat) {
            mean += v / 60;
            assertTrue(v >= 24 && v <= 36, "normal: 30 + 2 U(-3, 3) is within [24, 36], got " + v);
        }
        assertEquals(30, mean, 1.5);
        double[] up = SyntheticControl.series(2, r);
        assertTrue(slope(up) > 0.1 && slope(up) < 0.6, "increasing trend g in [0.2, 0.5]: fitted " + slope(up));
        double[] down = SyntheticControl.series(3, r);
        assertTrue(slope(down) < -0.1 && slope(down) > -0.6, "decreasing trend: fitted " + slope(down));
        double[] shift = SyntheticControl.series(4, r);
        double early = 0;
        double late = 0;
        for (int t = 0; t < 19; t++) {
            early += shift[t] / 19;
        }
        for (int t = 40; t < 60; t++) {
            late += shift[t] / 20;
        }
        assertTrue(late - early > 4 && late - early < 23, "upward shift x in [7.5, 20]: " + (late - early));
        assertEquals(600, SyntheticControl.generate(100, 1).length);
    }

    @Test
    void friedmanTargetIsTheClosedForm() {
        double[] x = {0.5, 0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0, 0};
        assertEquals(10 * Math.sin(Math.PI / 4) + 5 + 2.5, Friedman1.target(x), 1e-12);
        double[][] rows = Friedman1.generate(4000, 1);
        double m = 0;
        for (double[] row : rows) {
            m += row[10] / rows.length;
        }
        // E[y] = 10 E[sin(pi x1 x2)] + 20/12 + 5 + 2.5 = 14.41 (E[sin(pi x1 x2)] = 0.5246)
        assertEquals(14.41, m, 0.3);
    }

    private static double slope(double[] y) {
        double n = y.length;
        double mt = (n + 1) / 2;
        double my = 0;
        for (double v : y) {
            my += v / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < y.length; i++) {
            sxy += (i + 1 - mt) * (y[i] - my);
            sxx += (i + 1 - mt) * (i + 1 - mt);
        }
        return sxy / sxx;
    }
}
