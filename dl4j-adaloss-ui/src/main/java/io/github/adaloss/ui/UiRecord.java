package io.github.adaloss.ui;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.deeplearning4j.core.storage.Persistable;

/**
 * Common part of this module's {@link Persistable} records: session, worker, timestamp, and the binary encoding
 * that DL4J's storages use ({@code FileStatsStorage} stores {@link #encode()}; {@code RemoteUIStatsStorageRouter}
 * posts it Base64-encoded with the class name, and the receiving UI server decodes it into a new instance made
 * with the public no-argument constructor).
 *
 * <p>Encoding: a format byte ({@link #FORMAT}), the session ID, the worker ID and the timestamp, then the
 * subclass's fields ({@link #writeFields}), all with {@link DataOutputStream} (big-endian; strings as modified
 * UTF-8).
 */
public abstract class UiRecord implements Persistable {

    private static final long serialVersionUID = 1L;

    /** Version of the binary encoding; a record of another version is refused with an exception. */
    public static final byte FORMAT = 1;

    private String sessionID;
    private String workerID;
    private long timeStamp;

    /** For decoding: fields are set by {@link #decode(byte[])}. */
    protected UiRecord() {
    }

    /**
     * @param sessionID session ID (not null)
     * @param workerID  worker ID (not null)
     * @param timeStamp milliseconds since the epoch; DL4J's storages keep one update per (session, type, worker,
     *                  timestamp)
     */
    protected UiRecord(String sessionID, String workerID, long timeStamp) {
        if (sessionID == null || workerID == null) {
            throw new IllegalArgumentException("sessionID and workerID must not be null, got sessionID=" + sessionID
                    + ", workerID=" + workerID);
        }
        this.sessionID = sessionID;
        this.workerID = workerID;
        this.timeStamp = timeStamp;
    }

    @Override
    public String getSessionID() {
        return sessionID;
    }

    @Override
    public String getTypeID() {
        return AdaLossStatsListener.TYPE_ID;
    }

    @Override
    public String getWorkerID() {
        return workerID;
    }

    @Override
    public long getTimeStamp() {
        return timeStamp;
    }

    /**
     * @param out where to write the subclass's fields
     * @throws IOException from {@code out}
     */
    protected abstract void writeFields(DataOutputStream out) throws IOException;

    /**
     * @param in where to read the fields written by {@link #writeFields}
     * @throws IOException from {@code in}, or on a malformed record
     */
    protected abstract void readFields(DataInputStream in) throws IOException;

    @Override
    public int encodingLengthBytes() {
        return encode().length;
    }

    @Override
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(sessionID);
            out.writeUTF(workerID);
            out.writeLong(timeStamp);
            writeFields(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + getClass().getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(encode());
    }

    @Override
    public void encode(OutputStream outputStream) throws IOException {
        outputStream.write(encode());
    }

    @Override
    public void decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": unknown encoding format " + format
                        + " (this version reads " + FORMAT + ")");
            }
            sessionID = in.readUTF();
            workerID = in.readUTF();
            timeStamp = in.readLong();
            readFields(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + getClass().getSimpleName() + " from " + bytes.length
                    + " bytes", e);
        }
    }

    @Override
    public void decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        decode(bytes);
    }

    @Override
    public void decode(InputStream inputStream) throws IOException {
        decode(inputStream.readAllBytes());
    }

    /** @return "session/worker@timestamp" */
    protected String key() {
        return sessionID + "/" + workerID + "@" + timeStamp;
    }
}
