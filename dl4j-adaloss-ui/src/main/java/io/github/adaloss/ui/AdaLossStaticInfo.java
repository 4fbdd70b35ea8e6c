package io.github.adaloss.ui;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * The static record of one training session and worker, posted once by {@link AdaLossStatsListener} before its
 * first {@link AdaLossReport}: what the UI page shows above the charts.
 */
public final class AdaLossStaticInfo extends UiRecord {

    private static final long serialVersionUID = 1L;

    private String modelClassName;
    private long numParams;
    private String updater;
    private int reportEvery;
    private int ntkProbeSize;

    /** For decoding (DL4J's storages create records with this constructor, then call {@code decode}). */
    public AdaLossStaticInfo() {
    }

    /**
     * @param sessionID      session ID
     * @param workerID       worker ID
     * @param timeStamp      milliseconds since the epoch
     * @param modelClassName class of the network
     * @param numParams      number of parameters
     * @param updater        the first layer's updater configuration ({@code toString}), "" if none
     * @param reportEvery    the listener's reporting interval in iterations
     * @param ntkProbeSize   examples in the NTK probe set, 0 when no NTK listener is attached
     */
    public AdaLossStaticInfo(String sessionID, String workerID, long timeStamp, String modelClassName, long numParams,
                             String updater, int reportEvery, int ntkProbeSize) {
        super(sessionID, workerID, timeStamp);
        this.modelClassName = Objects.requireNonNull(modelClassName, "modelClassName");
        this.numParams = numParams;
        this.updater = Objects.requireNonNull(updater, "updater");
        this.reportEvery = reportEvery;
        this.ntkProbeSize = ntkProbeSize;
    }

    /** @return class of the network */
    public String getModelClassName() {
        return modelClassName;
    }

    /** @return number of parameters */
    public long getNumParams() {
        return numParams;
    }

    /** @return the first layer's updater configuration, "" if none */
    public String getUpdater() {
        return updater;
    }

    /** @return the reporting interval in iterations */
    public int getReportEvery() {
        return reportEvery;
    }

    /** @return examples in the NTK probe set, 0 without an NTK listener */
    public int getNtkProbeSize() {
        return ntkProbeSize;
    }

    @Override
    protected void writeFields(DataOutputStream out) throws IOException {
        out.writeUTF(modelClassName);
        out.writeLong(numParams);
        out.writeUTF(updater.length() > 8000 ? updater.substring(0, 8000) : updater);
        out.writeInt(reportEvery);
        out.writeInt(ntkProbeSize);
    }

    @Override
    protected void readFields(DataInputStream in) throws IOException {
        modelClassName = in.readUTF();
        numParams = in.readLong();
        updater = in.readUTF();
        reportEvery = in.readInt();
        ntkProbeSize = in.readInt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaLossStaticInfo s && key().equals(s.key()) && modelClassName.equals(s.modelClassName)
                && numParams == s.numParams && updater.equals(s.updater) && reportEvery == s.reportEvery
                && ntkProbeSize == s.ntkProbeSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key(), modelClassName, numParams, updater, reportEvery, ntkProbeSize);
    }

    @Override
    public String toString() {
        return "AdaLossStaticInfo(" + key() + ", " + modelClassName + ", params=" + numParams + ", updater=" + updater
                + ", reportEvery=" + reportEvery + ", ntkProbeSize=" + ntkProbeSize + ")";
    }
}
