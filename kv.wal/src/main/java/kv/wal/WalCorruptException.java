package kv.wal;

import java.nio.file.Path;

/**
 * The log holds a record that fails its checks before the tail a crash can leave: data that was
 * durable has changed. Nothing was modified when this is thrown; the member must stop.
 */
public final class WalCorruptException extends WalException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;

    public WalCorruptException(Path file, long offset, String what) {
        super("wal: " + what + " in " + file + " at offset " + offset);
        this.file = file;
        this.offset = offset;
    }

    /** The segment holding the bad record. */
    public Path file() {
        return file;
    }

    /** The offset of the bad record in {@link #file()}. */
    public long offset() {
        return offset;
    }
}
