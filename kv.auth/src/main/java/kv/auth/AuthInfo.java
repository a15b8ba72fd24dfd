package kv.auth;

import java.util.Objects;

/**
 * Who sent a request and the auth revision it was checked against: what etcd attaches to a proposal so
 * that every member applies it with the same identity. A request checked against an auth revision
 * older than the store's current one fails with {@link EtcdAuthError#AUTH_OLD_REVISION}, because the
 * user's permissions may have changed between the check and the apply.
 *
 * @param username the user; never empty
 * @param revision the auth revision the identity was resolved at; positive
 */
public record AuthInfo(String username, long revision) {
    public AuthInfo {
        Objects.requireNonNull(username, "username");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("empty username");
        }
        if (revision <= 0) {
            throw new IllegalArgumentException("auth revision must be positive: " + revision);
        }
    }
}
