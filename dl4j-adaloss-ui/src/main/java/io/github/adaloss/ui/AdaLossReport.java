package io.github.adaloss.ui;

import io.github.adaloss.ntk.listener.NtkSnapshot;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One update record of {@link AdaLossStatsListener}: the AdaLoss-family state after one iteration and the NTK
 * snapshots taken since the previous record.
 *
 * <p>Values that do not apply are NaN ({@code accumulator}, {@code step} without an AdaLoss-family updater) or
 * -1 ({@code recoveries} without one).
 */
public final class AdaLossReport extends UiRecord {

    private static final long serialVersionUID = 1L;

    private int iteration;
    private int epoch;
    private double loss;
    private double accumulator;
    private double step;
    private long recoveries;
    private boolean epochEnd;
    private List<NtkSnapshot> ntkSnapshots;

    /** For decoding (DL4J's storages create records with this constructor, then call {@code decode}). */
    public AdaLossReport() {
    }

    /**
     * @param sessionID    session ID
     * @param workerID     worker ID
     * @param timeStamp    milliseconds since the epoch, unique per session and worker
     * @param iteration    the iteration the record describes (DL4J's {@code iterationDone} argument: the updates
     *                     applied before this one)
     * @param epoch        the network's epoch count
     * @param loss         {@code model.score()} at {@code iterationDone}: the mini-batch loss before the update
     * @param accumulator  the accumulator {@code b_t} after this update ({@code AdaptiveSteps.accumulator})
     * @param step         {@code eta / b_t}, the step of this update ({@code AdaptiveSteps.currentStep})
     * @param recoveries   steps rejected by the loss feed so far ({@code AdaptiveSteps.recoveries}), -1 if none
     * @param epochEnd     true for a record posted at an epoch end (to carry that epoch-end NTK snapshot): its
     *                     scalars repeat the last iteration's state and {@code iteration} is the network's iteration
     *                     count; the UI's per-iteration charts skip such records
     * @param ntkSnapshots NTK snapshots taken since the previous record, oldest first (may be empty)
     */
    public AdaLossReport(String sessionID, String workerID, long timeStamp, int iteration, int epoch, double loss,
                         double accumulator, double step, long recoveries, boolean epochEnd,
                         List<NtkSnapshot> ntkSnapshots) {
        super(sessionID, workerID, timeStamp);
        this.iteration = iteration;
        this.epoch = epoch;
        this.loss = loss;
        this.accumulator = accumulator;
        this.step = step;
        this.recoveries = recoveries;
        this.epochEnd = epochEnd;
        this.ntkSnapshots = List.copyOf(Objects.requireNonNull(ntkSnapshots, "ntkSnapshots"));
    }

    /** @return the iteration ({@code iterationDone}'s argument) */
    public int getIteration() {
        return iteration;
    }

    /** @return the network's epoch count */
    public int getEpoch() {
        return epoch;
    }

    /** @return the mini-batch loss before the update */
    public double getLoss() {
        return loss;
    }

    /** @return {@code b_t} after this update, NaN without an AdaLoss-family updater */
    public double getAccumulator() {
        return accumulator;
    }

    /** @return {@code eta / b_t}, NaN without an AdaLoss-family updater */
    public double getStep() {
        return step;
    }

    /** @return rejected steps so far, -1 without an AdaLoss-family updater */
    public long getRecoveries() {
        return recoveries;
    }

    /** @return true for a record posted at an epoch end (see the constructor) */
    public boolean isEpochEnd() {
        return epochEnd;
    }

    /** @return NTK snapshots taken since the previous record (read-only) */
    public List<NtkSnapshot> getNtkSnapshots() {
        return ntkSnapshots;
    }

    @Override
    protected void writeFields(DataOutputStream out) throws IOException {
        out.writeInt(iteration);
        out.writeInt(epoch);
        out.writeDouble(loss);
        out.writeDouble(accumulator);
        out.writeDouble(step);
        out.writeLong(recoveries);
        out.writeBoolean(epochEnd);
        out.writeInt(ntkSnapshots.size());
        for (NtkSnapshot s : ntkSnapshots) {
            out.writeInt(s.iteration());
            out.writeInt(s.epoch());
            for (double v : new double[] {s.loss(), s.lambdaMin(), s.lambdaMax(), s.conditionNumber(), s.trace(),
                    s.kernelDrift(), s.maxNeuronMovement(), s.patternFlipFraction(), s.stepSize(),
                    s.stabilityEdge()}) {
                out.writeDouble(v);
            }
            out.writeInt(s.eigenvalues().length);
            for (double v : s.eigenvalues()) {
                out.writeDouble(v);
            }
        }
    }

    @Override
    protected void readFields(DataInputStream in) throws IOException {
        iteration = in.readInt();
        epoch = in.readInt();
        loss = in.readDouble();
        accumulator = in.readDouble();
        step = in.readDouble();
        recoveries = in.readLong();
        epochEnd = in.readBoolean();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative NTK snapshot count " + count);
        }
        List<NtkSnapshot> snapshots = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int it = in.readInt();
            int ep = in.readInt();
            double[] v = new double[10];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.readDouble();
            }
            int n = in.readInt();
            if (n < 0) {
                throw new IOException("negative eigenvalue count " + n);
            }
            double[] eig = new double[n];
            for (int j = 0; j < n; j++) {
                eig[j] = in.readDouble();
            }
            snapshots.add(new NtkSnapshot(it, ep, v[0], eig, v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]));
        }
        ntkSnapshots = Collections.unmodifiableList(snapshots);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaLossReport r && key().equals(r.key()) && iteration == r.iteration && epoch == r.epoch
                && Double.compare(loss, r.loss) == 0 && Double.compare(accumulator, r.accumulator) == 0
                && Double.compare(step, r.step) == 0 && recoveries == r.recoveries
                && epochEnd == r.epochEnd && ntkSnapshots.equals(r.ntkSnapshots);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key(), iteration, epoch, loss, accumulator, step, recoveries, epochEnd, ntkSnapshots);
    }

    @Override
    public String toString() {
        return "AdaLossReport(" + key() + ", iteration=" + iteration + ", epoch=" + epoch + ", loss=" + loss + ", b="
                + accumulator + ", step=" + step + ", recoveries=" + recoveries + (epochEnd ? ", epochEnd" : "")
                + ", ntkSnapshots=" + ntkSnapshots.size() + ")";
    }
}
