package kv.admin;

/**
 * An offline operation on a data directory was refused or failed; the message names the problem
 * (and, for a refusal, what to do about it). Whatever was refused or failed, the data directory
 * still opens with its recorded engine. Immutable.
 */
public final class MigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
