package kv.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * etcd's JWT tokens ({@code --auth-token jwt,...}): a signed, self-contained token with the claims
 * {@code username}, {@code revision} (the auth revision at issue) and {@code exp}. Any member holding
 * the verification key accepts it without shared state; it cannot be revoked, but any auth change makes
 * its revision old, so requests made with it fail {@link EtcdAuthError#AUTH_OLD_REVISION} until the
 * client authenticates again. Expiry is {@code ttl} after issue, not refreshed on use.
 *
 * <p>Methods: {@link Method#RS256} and {@link Method#ES256} with PEM key files (PKCS#8 private key,
 * X.509 public key; a member that only verifies needs only the public key), and {@link Method#HS256}
 * with a shared secret (for tests and single-key setups).
 *
 * <p>Immutable and thread-safe.
 */
public final class JwtTokens {
    /** The signature method, named as in the JWT {@code alg} header. */
    public enum Method {
        RS256("SHA256withRSA", "RSA"),
        ES256("SHA256withECDSAinP1363Format", "EC"),
        HS256("HmacSHA256", null);

        private final String jca;
        private final String keyAlgorithm;

        Method(String jca, String keyAlgorithm) {
            this.jca = jca;
            this.keyAlgorithm = keyAlgorithm;
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Method method;
    private final Key signKey; // null: this member verifies only
    private final Key verifyKey;
    private final Duration ttl;
    private final String header;

    private JwtTokens(Method method, Key signKey, Key verifyKey, Duration ttl) {
        this.method = method;
        this.signKey = signKey;
        this.verifyKey = Objects.requireNonNull(verifyKey, "verification key");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("JWT TTL must be positive: " + ttl);
        }
        this.header = B64.encodeToString(bytes(Json.write(orderedMap("alg", method.name(), "typ", "JWT"))));
    }

    /** HS256 with a shared secret of at least 32 bytes. */
    public static JwtTokens hmac(byte[] secret, Duration ttl) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("HS256 secret must have at least 32 bytes");
        }
        SecretKeySpec key = new SecretKeySpec(secret.clone(), Method.HS256.jca);
        return new JwtTokens(Method.HS256, key, key, ttl);
    }

    /** RS256 or ES256 with a key pair; {@code privateKey} {@code null} for a member that only verifies. */
    public static JwtTokens asymmetric(Method method, PrivateKey privateKey, PublicKey publicKey, Duration ttl) {
        if (method == Method.HS256) {
            throw new IllegalArgumentException("HS256 takes a secret; use hmac()");
        }
        if (!publicKey.getAlgorithm().equals(method.keyAlgorithm)
                || (privateKey != null && !privateKey.getAlgorithm().equals(method.keyAlgorithm))) {
            throw new IllegalArgumentException(method + " needs " + method.keyAlgorithm + " keys");
        }
        return new JwtTokens(method, privateKey, publicKey, ttl);
    }

    /**
     * RS256 or ES256 from PEM files, as etcd's {@code pub-key} and {@code priv-key} options;
     * {@code privateKeyFile} {@code null} for a member that only verifies.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when a file holds no key of the method's algorithm
     */
    public static JwtTokens fromPemFiles(Method method, Path publicKeyFile, Path privateKeyFile, Duration ttl)
            throws IOException {
        if (method == Method.HS256) {
            throw new IllegalArgumentException("HS256 takes a secret, not key files");
        }
        try {
            KeyFactory kf = KeyFactory.getInstance(method.keyAlgorithm);
            PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(pem(publicKeyFile, "PUBLIC KEY")));
            PrivateKey priv = privateKeyFile == null
                    ? null
                    : kf.generatePrivate(new PKCS8EncodedKeySpec(pem(privateKeyFile, "PRIVATE KEY")));
            return asymmetric(method, priv, pub, ttl);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a " + method.keyAlgorithm + " key: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException(file + ": no " + type + " PEM block (PKCS#8 / X.509 expected)");
        }
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }

    public Method method() {
        return method;
    }

    /** Whether this member can issue tokens (it has the signing key). */
    public boolean canSign() {
        return signKey != null;
    }

    /** A token for {@code username} at auth revision {@code revision}, expiring {@code ttl} after {@code now}. */
    public String sign(String username, long revision, Instant now) {
        if (signKey == null) {
            throw new IllegalStateException("no private key: this member only verifies JWTs");
        }
        Map<String, Object> claims = orderedMap("username", username, "revision", revision,
                "exp", now.plus(ttl).getEpochSecond());
        String signed = header + "." + B64.encodeToString(bytes(Json.write(claims)));
        return signed + "." + B64.encodeToString(signature(signed));
    }

    /**
     * The identity in a token whose signature, algorithm and expiry are valid at {@code now}.
     *
     * @throws AuthException {@code INVALID_AUTH_TOKEN} otherwise
     */
    public AuthInfo verify(String token, Instant now) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid();
        }
        try {
            Map<String, Object> head = Json.read(new String(B64D.decode(parts[0]), StandardCharsets.UTF_8));
            if (!method.name().equals(head.get("alg")) || !validSignature(parts[0] + "." + parts[1], B64D.decode(parts[2]))) {
                throw invalid();
            }
            Map<String, Object> claims = Json.read(new String(B64D.decode(parts[1]), StandardCharsets.UTF_8));
            if (!(claims.get("username") instanceof String user) || user.isEmpty()
                    || !(claims.get("revision") instanceof Long revision) || revision <= 0
                    || !(claims.get("exp") instanceof Long exp) || now.getEpochSecond() >= exp) {
                throw invalid();
            }
            return new AuthInfo(user, revision);
        } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
            throw invalid();
        }
    }

    private byte[] signature(String signed) {
        try {
            if (method == Method.HS256) {
                Mac mac = Mac.getInstance(method.jca);
                mac.init(signKey);
                return mac.doFinal(bytes(signed));
            }
            Signature sig = Signature.getInstance(method.jca);
            sig.initSign((PrivateKey) signKey);
            sig.update(bytes(signed));
            return sig.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a JWT with " + method, e);
        }
    }

    private boolean validSignature(String signed, byte[] signature) {
        try {
            if (method == Method.HS256) {
                return MessageDigest.isEqual(signature(signed), signature);
            }
            Signature sig = Signature.getInstance(method.jca);
            sig.initVerify((PublicKey) verifyKey);
            sig.update(bytes(signed));
            return sig.verify(signature);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("bad JWT verification key for " + method, e);
        } catch (GeneralSecurityException malformedSignature) {
            return false;
        }
    }

    private static AuthException invalid() {
        return new AuthException(EtcdAuthError.INVALID_AUTH_TOKEN);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> orderedMap(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1] instanceof Integer n ? (Long) n.longValue() : kv[i + 1]);
        }
        return m;
    }
}
