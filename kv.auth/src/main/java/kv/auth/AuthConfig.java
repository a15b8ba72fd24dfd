package kv.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How an auth store hashes passwords and how long its simple tokens live.
 *
 * @param hashCost etcd's {@code --bcrypt-cost} (4 to 21 here), mapped to PBKDF2 iterations by
 *     {@link PasswordHasher#iterationsForCost(int)}
 * @param tokenTtl etcd's {@code --auth-token-ttl}: how long a simple token stays valid after it was
 *     issued or last used
 */
public record AuthConfig(int hashCost, Duration tokenTtl) {
    /** etcd's defaults: bcrypt cost 10, token TTL 300 s. */
    public static final AuthConfig DEFAULT = new AuthConfig(10, Duration.ofSeconds(300));

    public AuthConfig {
        PasswordHasher.iterationsForCost(hashCost); // validates the range
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("auth token TTL must be positive: " + tokenTtl);
        }
    }
}
