package io.github.adaloss.ui;

import io.github.adaloss.ntk.listener.NtkSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@link AdaLossReport}s of one session and worker into the chart series of the UI page's data endpoint
 * ({@code /adaloss/data/:sessionId}), as a JSON-ready map.
 *
 * <p>Per-iteration series (keys {@code iteration, epoch, loss, accumulator, step, recoveries}) come from the
 * records of {@code iterationDone} (epoch-end records are skipped), subsampled to at most about {@code maxPoints}
 * points with a fixed stride (the first and last record always kept; {@code stride} says which); the NTK series
 * (key {@code ntk}) hold every snapshot, and {@code spectrum} the eigenvalues of one snapshot. Non-finite values
 * become null (JSON has no NaN; the charts leave a gap).
 */
public final class AdaLossSeries {

    private AdaLossSeries() {
    }

    /**
     * @param reports   the reports, oldest first
     * @param snapshot  index of the NTK snapshot whose eigenvalues to include (negative: counted from the end, -1 is
     *                  the latest)
     * @param maxPoints the most per-iteration points before subsampling (&gt;= 2)
     * @return the series
     */
    public static Map<String, Object> of(List<AdaLossReport> reports, int snapshot, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be >= 2, got " + maxPoints);
        }
        List<AdaLossReport> perIteration = new ArrayList<>();
        List<NtkSnapshot> snapshots = new ArrayList<>();
        for (AdaLossReport r : reports) {
            if (!r.isEpochEnd()) {
                perIteration.add(r);
            }
            snapshots.addAll(r.getNtkSnapshots());
        }
        int n = perIteration.size();
        int stride = Math.max(1, (n + maxPoints - 1) / maxPoints);
        List<Object> iteration = new ArrayList<>();
        List<Object> epoch = new ArrayList<>();
        List<Object> loss = new ArrayList<>();
        List<Object> accumulator = new ArrayList<>();
        List<Object> step = new ArrayList<>();
        List<Object> recoveries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % stride != 0 && i != n - 1) {
                continue;
            }
            AdaLossReport r = perIteration.get(i);
            iteration.add(r.getIteration());
            epoch.add(r.getEpoch());
            loss.add(finite(r.getLoss()));
            accumulator.add(finite(r.getAccumulator()));
            step.add(finite(r.getStep()));
            recoveries.add(r.getRecoveries() < 0 ? null : r.getRecoveries());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", n);
        out.put("stride", stride);
        out.put("iteration", iteration);
        out.put("epoch", epoch);
        out.put("loss", loss);
        out.put("accumulator", accumulator);
        out.put("step", step);
        out.put("recoveries", recoveries);
        out.put("ntk", ntkSeries(snapshots));
        out.put("spectrum", spectrum(snapshots, snapshot));
        return out;
    }

    private static Map<String, Object> ntkSeries(List<NtkSnapshot> snapshots) {
        Map<String, Object> ntk = new LinkedHashMap<>();
        List<Object> it = new ArrayList<>();
        List<Object> ep = new ArrayList<>();
        List<Object> lmin = new ArrayList<>();
        List<Object> lmax = new ArrayList<>();
        List<Object> cond = new ArrayList<>();
        List<Object> drift = new ArrayList<>();
        List<Object> stepSize = new ArrayList<>();
        List<Object> edge = new ArrayList<>();
        List<Object> loss = new ArrayList<>();
        for (NtkSnapshot s : snapshots) {
            it.add(s.iteration());
            ep.add(s.epoch());
            lmin.add(finite(s.lambdaMin()));
            lmax.add(finite(s.lambdaMax()));
            cond.add(finite(s.conditionNumber()));
            drift.add(finite(s.kernelDrift()));
            stepSize.add(finite(s.stepSize()));
            edge.add(finite(s.stabilityEdge()));
            loss.add(finite(s.loss()));
        }
        ntk.put("iteration", it);
        ntk.put("epoch", ep);
        ntk.put("loss", loss);
        ntk.put("lambdaMin", lmin);
        ntk.put("lambdaMax", lmax);
        ntk.put("conditionNumber", cond);
        ntk.put("kernelDrift", drift);
        ntk.put("stepSize", stepSize);
        ntk.put("stabilityEdge", edge);
        return ntk;
    }

    private static Map<String, Object> spectrum(List<NtkSnapshot> snapshots, int snapshot) {
        if (snapshots.isEmpty()) {
            return null;
        }
        int k = snapshot < 0 ? snapshots.size() + snapshot : snapshot;
        if (k < 0 || k >= snapshots.size()) {
            throw new IllegalArgumentException("snapshot " + snapshot + " out of range: there are "
                    + snapshots.size() + " NTK snapshots");
        }
        NtkSnapshot s = snapshots.get(k);
        List<Object> eig = new ArrayList<>(s.eigenvalues().length);
        for (double v : s.eigenvalues()) {
            eig.add(finite(v));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", k);
        m.put("iteration", s.iteration());
        m.put("epoch", s.epoch());
        m.put("eigenvalues", eig);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
