package kv.wal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a write-ahead log lives and how it is cut into segments. Immutable; validates itself.
 *
 * @param dir         the WAL directory; it holds segments, preallocated temp files and the lock file only
 * @param segmentSize the preallocated size of each segment file; a batch that does not fit in the
 *                    rest of the current segment goes to the next one (a single batch larger than a
 *                    segment grows that segment). At least {@link #MIN_SEGMENT_SIZE}, at most 1 GiB.
 */
public record WalConfig(Path dir, ByteSize segmentSize) {
    /** etcd's segment size. */
    public static final ByteSize DEFAULT_SEGMENT_SIZE = ByteSize.ofMebibytes(64);
    /** Small segments are allowed so that tests can rotate often. */
    public static final ByteSize MIN_SEGMENT_SIZE = ByteSize.ofKibibytes(4);
    /** Segments are read whole into memory at open, which bounds them. */
    public static final ByteSize MAX_SEGMENT_SIZE = ByteSize.ofMebibytes(1024);

    public WalConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(segmentSize, "segmentSize");
        if (segmentSize.compareTo(MIN_SEGMENT_SIZE) < 0 || segmentSize.compareTo(MAX_SEGMENT_SIZE) > 0) {
            throw new IllegalArgumentException("wal: segment size " + segmentSize + " is outside ["
                    + MIN_SEGMENT_SIZE + ", " + MAX_SEGMENT_SIZE + "]");
        }
        if (segmentSize.bytes() % 8 != 0) {
            throw new IllegalArgumentException("wal: segment size " + segmentSize + " is not a multiple of 8 bytes");
        }
    }

    /** A configuration with the default segment size. */
    public static WalConfig of(Path dir) {
        return new WalConfig(dir, DEFAULT_SEGMENT_SIZE);
    }

    /** This configuration with another segment size. */
    public WalConfig withSegmentSize(ByteSize size) {
        return new WalConfig(dir, size);
    }
}
