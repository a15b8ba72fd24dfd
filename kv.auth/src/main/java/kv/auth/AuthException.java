package kv.auth;

import java.util.Objects;

/**
 * An expected failure of an auth operation (unknown user, permission denied, stale auth revision...),
 * carrying etcd's message. Thrown before anything was changed: a mutating call that throws has written
 * nothing into its transaction and left the store's state as it was.
 */
public final class AuthException extends RuntimeException {
    private final EtcdAuthError error;

    public AuthException(EtcdAuthError error) {
        super(Objects.requireNonNull(error, "error").message());
        this.error = error;
    }

    /** Which of etcd's auth errors this is. */
    public EtcdAuthError error() {
        return error;
    }
}
