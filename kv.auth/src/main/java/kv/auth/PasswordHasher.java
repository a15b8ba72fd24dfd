package kv.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes passwords with the JDK's {@code PBKDF2WithHmacSHA256} (etcd uses bcrypt, which the JDK does
 * not have). A hash is self-describing, so a store keeps verifying old hashes after the configured cost
 * changes:
 *
 * <pre>pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 derived key&gt;</pre>
 *
 * <p>with a random 16-byte salt and a 32-byte derived key. The iteration count comes from etcd's
 * {@code --bcrypt-cost} through {@link #iterationsForCost(int)}.
 *
 * <p>Hashing runs on the proposer, before a user add or password change enters the raft log, so the
 * clear password is never logged or replicated and every member stores the same hash.
 *
 * <p>Immutable and thread-safe.
 */
public final class PasswordHasher {
    /** The algorithm name at the head of every hash this class writes. */
    public static final String SCHEME = "pbkdf2-sha256";
    /** Smallest and largest accepted cost, as bcrypt's minimum and the largest that fits an int. */
    public static final int MIN_COST = 4;
    public static final int MAX_COST = 21;

    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    /** OWASP's PBKDF2-HMAC-SHA256 recommendation, which it lists beside bcrypt cost 10. */
    private static final int ITERATIONS_AT_COST_10 = 600_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    /** A hasher whose new hashes use {@link #iterationsForCost(int) iterationsForCost(cost)}. */
    public PasswordHasher(int cost) {
        this.iterations = iterationsForCost(cost);
    }

    /**
     * The PBKDF2 iteration count for an etcd bcrypt cost. Like bcrypt, whose work doubles with each cost
     * step, the count doubles per step and is anchored at 600,000 for etcd's default cost 10 (the OWASP
     * figure for PBKDF2-HMAC-SHA256 matched with bcrypt cost 10): cost 4 gives 9,375, cost 21 gives
     * 1,228,800,000.
     *
     * @throws IllegalArgumentException when {@code cost} is outside [{@value #MIN_COST},
     *     {@value #MAX_COST}]
     */
    public static int iterationsForCost(int cost) {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException(
                    "hash cost must be in [" + MIN_COST + ", " + MAX_COST + "]: " + cost);
        }
        long n = cost >= 10 ? (long) ITERATIONS_AT_COST_10 << (cost - 10) : ITERATIONS_AT_COST_10 >> (10 - cost);
        return Math.toIntExact(n);
    }

    /** The iteration count of new hashes. */
    public int iterations() {
        return iterations;
    }

    /** A new self-describing hash of {@code password} with a fresh random salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    /**
     * Whether {@code password} matches {@code hash}. A malformed hash, or an empty one (a user created
     * without a password), matches nothing. The derived keys are compared in constant time.
     */
    public static boolean verify(String password, String hash) {
        String[] parts = hash.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        try {
            int n = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            if (n <= 0 || salt.length == 0 || expected.length * 8 != KEY_BITS) {
                return false;
            }
            return MessageDigest.isEqual(derive(password, salt, n), expected);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // every Java SE runtime must provide PBKDF2WithHmacSHA256
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** The hash bytes as stored in {@code authpb.User.password}. */
    static byte[] toBytes(String hash) {
        return hash.getBytes(StandardCharsets.US_ASCII);
    }
}
