package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goals and the default choice computed from hand-made results give the verdicts worked out by hand. */
class PractitionerClaimsTest {

    private static PracticeRun run(String w, String family, String parameter, double value, double eta, long seed,
                                   boolean reg, double metric, String status, double l0, double l1) {
        return new PracticeRun(w, family, parameter, value, eta, Double.NaN, seed, reg, metric, l0, l1, status,
                "crashed".equals(status) ? "X: y" : "", Double.NaN, 0, 10, 1.0);
    }

    private static List<PracticeRun> handMade() {
        List<PracticeRun> r = new ArrayList<>();
        // classifier "a": published 80%, AdaLoss default 78.5% (1.5 points: within 2), AdamLoss default 77% (3: not)
        r.add(run("a", "published", "published", Double.NaN, Double.NaN, 1, false, 0.80, "ok", 2, 1));
        r.add(run("a", "AdaLoss", "default", Double.NaN, 1, 1, false, 0.785, "ok", 2, 1));
        r.add(run("a", "AdamLoss", "default", Double.NaN, 1, 1, false, 0.77, "ok", 2, 1));
        r.add(run("a", "AdaGradNorm", "default", Double.NaN, 1, 1, false, 0.79, "ok", 2, 1));
        // AdaLoss b0 grid: best 80% (b0=0.1), worst 77.5% (2.5 points: within 3) -> holds
        double[] ada = {0.79, 0.80, Double.NaN, 0.775, 0.78};
        // AdaGradNorm: b0=100 crashed -> does not hold
        double[] agn = {0.79, 0.79, Double.NaN, 0.78, Double.NaN};
        for (int i = 0; i < OptimizerGrid.B0.length; i++) {
            double b = OptimizerGrid.B0[i];
            if (b == 1) {
                continue;
            }
            r.add(run("a", "AdaLoss", "b0", b, 1, 1, false, ada[i], "ok", 2, 1));
            r.add(run("a", "AdaGradNorm", "b0", b, 1, 1, false, agn[i], Double.isNaN(agn[i]) ? "crashed" : "ok", 2, 1));
        }
        // eta multiples: AdaLoss all decrease; AdaGradNorm at 10x the loss went up
        for (double m : OptimizerGrid.ETA_MULTIPLES) {
            r.add(run("a", "AdaLoss", "eta", m, m, 1, false, 0.7, "ok", 2, 1));
            r.add(run("a", "AdaGradNorm", "eta", m, m, 1, false, 0.7, "ok", 2, m == 10 ? 3 : 1));
        }
        // regression "r": published relative error 0.40, AdaLoss default 0.43 (7.5% worse: within 10%),
        // AdaGradNorm 0.45 (12.5%: not)
        r.add(run("r", "published", "published", Double.NaN, Double.NaN, 1, true, 0.40, "ok", 200, 20));
        r.add(run("r", "AdaLoss", "default", Double.NaN, 1, 1, true, 0.43, "ok", 200, 20));
        r.add(run("r", "AdaGradNorm", "default", Double.NaN, 1, 1, true, 0.45, "ok", 200, 20));
        return r;
    }

    private static Verdict find(List<Verdict> vs, String start) {
        return vs.stream().filter(v -> v.text().startsWith(start)).findFirst().orElseThrow();
    }

    @Test
    void b0ChartRendersOnItsLogarithmicAxis() throws Exception {
        // XChart refuses a logarithmic axis whose range starts at 0: the b0 chart must keep every point at x > 0
        org.knowm.xchart.XYChart chart = PractitionerReport.b0Chart(handMade(), "a");
        byte[] png = org.knowm.xchart.BitmapEncoder.getBitmapBytes(chart, org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
        org.junit.jupiter.api.Assertions.assertTrue(png.length > 1000, "PNG of " + png.length + " bytes");
        org.junit.jupiter.api.Assertions.assertTrue(chart.getStyler().isXAxisLogarithmic());
        // AdaLoss (4 b0 off the default + none at b0 = 1 in this hand-made set), AdaGradNorm, published line
        org.junit.jupiter.api.Assertions.assertEquals(0.01, chart.getSeriesMap().get("AdaLoss").getXMin(), 1e-12);
    }

    @Test
    void verdictsFromHandMadeNumbers() {
        List<Verdict> vs = PractitionerClaims.evaluate(handMade());
        assertTrue(find(vs, "AdaLoss at its defaults").holds());
        assertFalse(find(vs, "AdamLoss at its defaults").holds(), "3 points below the published updater");
        assertFalse(find(vs, "AdaGradNorm at its defaults").holds(), "12.5% above the published relative error");
        assertTrue(find(vs, "AdaLoss: every b0").holds(), "2.5 points spread");
        assertFalse(find(vs, "AdaGradNorm: every b0").holds(), "b0 = 100 crashed");
        assertTrue(find(vs, "AdaLoss with eta").holds());
        assertFalse(find(vs, "AdaGradNorm with eta").holds(), "loss went up at 10x");
        assertTrue(find(vs, "AdaGradNorm with eta").evidence().get("a").toString().contains("eta=10x"));
    }

    @Test
    void tolerancesAreTwoPointsAndTenPercent() {
        assertEquals(1.0, Tolerance.normalizedShortfall(false, 0.78, 0.80, Tolerance.ACCURACY), 1e-12);
        assertEquals(1.0, Tolerance.normalizedShortfall(true, 0.44, 0.40, Tolerance.RELATIVE), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Tolerance.normalizedShortfall(false, Double.NaN, 0.8, 0.02));
        assertTrue(Tolerance.better(true, 0.3, 0.4));
        assertTrue(Tolerance.better(false, 0.5, Double.NaN));
    }

    @Test
    void theChosenEtaServesTheMostConfigurations() {
        List<PracticeRun> sweep = new ArrayList<>();
        // "a" best at eta 1 (90%), 0.1 gives 89% (within 2 points), 10 crashes
        // "r" (regression) best at eta 10 (0.30), eta 1 gives 0.32 (6.7%: within 10%), 0.1 gives 0.50
        double[] etas = {0.1, 1, 10};
        double[] a = {0.89, 0.90, Double.NaN};
        double[] r = {0.50, 0.32, 0.30};
        for (int i = 0; i < 3; i++) {
            for (long seed : new long[] {1, 2}) {
                sweep.add(run("a", "AdaLoss", "lr", etas[i], etas[i], seed, false, a[i],
                        Double.isNaN(a[i]) ? "crashed" : "ok", 2, 1));
                sweep.add(run("r", "AdaLoss", "lr", etas[i], etas[i], seed, true, r[i], "ok", 200, 20));
            }
        }
        List<DefaultChooser.Row> rows = DefaultChooser.rows(sweep, "AdaLoss");
        assertEquals(3, rows.size());
        assertEquals(2, rows.get(0).served(), "0.1 serves a (both seeds) only");
        assertEquals(4, rows.get(1).served(), "1 serves both configurations on both seeds");
        assertEquals(2, rows.get(2).crashes());
        assertEquals(1.0, DefaultChooser.choose(rows).eta(), 0);
        assertEquals((0.32 / 0.30 - 1) / 0.1, DefaultChooser.choose(rows).worst(), 1e-9);
        // safety first: if the training loss of "a" rose at eta 1 (seed 2), eta 1 is unsafe and 0.1 is chosen
        List<PracticeRun> unsafe = new ArrayList<>(sweep.stream().filter(x -> !(x.workload().equals("a")
                && x.eta() == 1 && x.seed() == 2)).toList());
        unsafe.add(run("a", "AdaLoss", "lr", 1, 1, 2, false, 0.90, "ok", 2, 3));
        List<DefaultChooser.Row> rows2 = DefaultChooser.rows(unsafe, "AdaLoss");
        assertEquals(1, rows2.get(1).unsafe());
        assertEquals(0.1, DefaultChooser.choose(rows2).eta(), 0);
    }

    @Test
    void csvRoundTrips(@TempDir Path dir) throws Exception {
        List<PracticeRun> runs = handMade();
        Path f = dir.resolve("runs.csv");
        java.nio.file.Files.writeString(f, RunCsv.text(runs));
        assertEquals(runs, RunCsv.read(f));
    }
}
