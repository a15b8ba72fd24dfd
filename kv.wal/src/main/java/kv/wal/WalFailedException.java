package kv.wal;

/**
 * A write or fsync of the log failed, now or earlier. What reached the disk is unknown, so the WAL
 * refuses every further call with this exception; the member must stop and recover by reopening.
 */
public final class WalFailedException extends WalException {
    private static final long serialVersionUID = 1L;

    public WalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
