package kv.admin.restore;

/**
 * A snapshot restore was refused (bad flags, an existing data directory, a snapshot whose checksum
 * does not match) or failed part way; the message is etcd's where etcd has one. A restore that
 * throws leaves no data directory behind. Immutable.
 */
public final class RestoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RestoreException(String message) {
        super(message);
    }

    public RestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
