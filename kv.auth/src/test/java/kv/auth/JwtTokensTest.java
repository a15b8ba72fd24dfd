package kv.auth;

import static kv.auth.Requests.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** JWT tokens: every method round-trips, PEM key files, expiry, tampering, and the store issuing them. */
class JwtTokensTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private static EtcdAuthError errorOf(Executable e) {
        return assertThrows(AuthException.class, e).error();
    }

    private static KeyPair keyPair(JwtTokens.Method m) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(m == JwtTokens.Method.RS256 ? "RSA" : "EC");
        g.initialize(m == JwtTokens.Method.RS256 ? 2048 : 256);
        return g.generateKeyPair();
    }

    private static JwtTokens tokens(JwtTokens.Method m) throws Exception {
        if (m == JwtTokens.Method.HS256) {
            return JwtTokens.hmac(SECRET, TTL);
        }
        KeyPair kp = keyPair(m);
        return JwtTokens.asymmetric(m, kp.getPrivate(), kp.getPublic(), TTL);
    }

    @ParameterizedTest
    @EnumSource(JwtTokens.Method.class)
    void roundTripsUntilExpiry(JwtTokens.Method m) throws Exception {
        JwtTokens t = tokens(m);
        String token = t.sign("alice", 7, NOW);
        assertEquals(3, token.split("\\.").length);
        assertEquals(new AuthInfo("alice", 7), t.verify(token, NOW));
        assertEquals(new AuthInfo("alice", 7), t.verify(token, NOW.plus(TTL).minusSeconds(1)));
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> t.verify(token, NOW.plus(TTL))));
    }

    @ParameterizedTest
    @EnumSource(JwtTokens.Method.class)
    void anotherKeyRejects(JwtTokens.Method m) throws Exception {
        String token = tokens(m).sign("alice", 7, NOW);
        JwtTokens other = m == JwtTokens.Method.HS256
                ? JwtTokens.hmac("another secret of thirty-two bytes!!".getBytes(StandardCharsets.US_ASCII), TTL)
                : tokens(m);
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> other.verify(token, NOW)));
    }

    @Test
    void tamperedClaimsAndForeignAlgorithmsAreRejected() throws Exception {
        JwtTokens rs = tokens(JwtTokens.Method.RS256);
        String token = rs.sign("alice", 7, NOW);
        String[] p = token.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"username\":\"root\",\"revision\":7,\"exp\":9999999999}".getBytes(StandardCharsets.UTF_8));
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> rs.verify(p[0] + "." + forged + "." + p[2], NOW)));
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> rs.verify(none + "." + p[1] + ".", NOW)));
        String hsToken = JwtTokens.hmac(SECRET, TTL).sign("alice", 7, NOW);
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> rs.verify(hsToken, NOW)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", "!!.??.**", "eyJ9.eyJ9.AAAA"})
    void garbageIsInvalid(String token) {
        JwtTokens t = JwtTokens.hmac(SECRET, TTL);
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> t.verify(token, NOW)));
    }

    /** Correctly signed HS256 tokens whose claims are malformed or incomplete. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"username\":\"u\",\"revision\":1}", "{\"username\":\"u\",\"revision\":\"1\",\"exp\":9999999999}",
        "{\"username\":\"\",\"revision\":1,\"exp\":9999999999}", "{\"username\":\"u\",\"revision\":0,\"exp\":9999999999}",
        "{\"username\":\"u\",\"revision\":1,\"exp\":9999999999} x", "{\"username\":\"u\\", "{\"username\":\"u\\q\"}",
        "{\"username\":\"u\",\"revision\":1,\"exp\":9999999999,}", "[]"})
    void signedButMalformedClaimsAreInvalid(String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String token = signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        JwtTokens t = JwtTokens.hmac(SECRET, TTL);
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> t.verify(token, NOW)));
    }

    @Test
    void namesNeedingEscapesRoundTrip() {
        JwtTokens t = JwtTokens.hmac(SECRET, TTL);
        String name = "we\"ird\\na\u0001me ✓";
        assertEquals(new AuthInfo(name, 3), t.verify(t.sign(name, 3, NOW), NOW));
    }

    @ParameterizedTest
    @EnumSource(value = JwtTokens.Method.class, names = {"RS256", "ES256"})
    void pemKeyFilesAndVerifyOnlyMembers(JwtTokens.Method m) throws Exception {
        KeyPair kp = keyPair(m);
        Path pub = dir.resolve("pub.pem");
        Path priv = dir.resolve("priv.pem");
        Files.writeString(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
        Files.writeString(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        JwtTokens signer = JwtTokens.fromPemFiles(m, pub, priv, TTL);
        JwtTokens verifier = JwtTokens.fromPemFiles(m, pub, null, TTL);
        assertTrue(signer.canSign());
        assertEquals(false, verifier.canSign());
        assertEquals(new AuthInfo("bob", 2), verifier.verify(signer.sign("bob", 2, NOW), NOW));
        assertThrows(IllegalStateException.class, () -> verifier.sign("bob", 2, NOW));
        JwtTokens.Method otherAlg = m == JwtTokens.Method.RS256 ? JwtTokens.Method.ES256 : JwtTokens.Method.RS256;
        assertThrows(IllegalArgumentException.class, () -> JwtTokens.fromPemFiles(otherAlg, pub, priv, TTL));
        assertThrows(IllegalArgumentException.class, () -> JwtTokens.fromPemFiles(m, priv, null, TTL));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void badConfigurationsAreRejected() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> JwtTokens.hmac(new byte[31], TTL));
        assertThrows(IllegalArgumentException.class, () -> JwtTokens.hmac(SECRET, Duration.ZERO));
        KeyPair rsa = keyPair(JwtTokens.Method.RS256);
        assertThrows(IllegalArgumentException.class,
                () -> JwtTokens.asymmetric(JwtTokens.Method.ES256, rsa.getPrivate(), rsa.getPublic(), TTL));
        assertThrows(IllegalArgumentException.class,
                () -> JwtTokens.asymmetric(JwtTokens.Method.HS256, rsa.getPrivate(), rsa.getPublic(), TTL));
    }

    @Test
    void storeIssuesJwtsThatGoStaleWithTheAuthRevision() throws Exception {
        Fixture.DrivenClock clock = new Fixture.DrivenClock();
        KeyPair kp = keyPair(JwtTokens.Method.ES256);
        try (var backend = BackendLocator.builtIn().find("jbolt").open(BackendConfig.of(dir))) {
            assertThrows(IllegalArgumentException.class, () -> AuthStore.open(backend, Fixture.CONFIG, clock,
                    JwtTokens.asymmetric(JwtTokens.Method.ES256, null, kp.getPublic(), TTL)));
            AuthStore store = AuthStore.open(backend, Fixture.CONFIG, clock,
                    JwtTokens.asymmetric(JwtTokens.Method.ES256, kp.getPrivate(), kp.getPublic(), TTL));
            for (Op op : new Op[] {userAdd("root", "pw"), grantRole("root", "root"), userAdd("u", "pw"),
                roleAdd("r"), grant("r", kv.api.authpb.Permission.Type.WRITE, "k", ""), grantRole("u", "r"), enable()}) {
                try (var tx = backend.beginWrite()) {
                    op.apply(store, tx);
                    tx.commit();
                }
            }
            String token = store.authenticate("u", store.newTokenPrefix(), 9).getToken();
            AuthInfo info = store.authInfo(token);
            assertEquals(new AuthInfo("u", store.revision()), info);
            store.checkPut(info, "k".getBytes(StandardCharsets.UTF_8));
            try (var tx = backend.beginWrite()) {
                roleAdd("other").apply(store, tx);
                tx.commit();
            }
            assertEquals(EtcdAuthError.AUTH_OLD_REVISION,
                    errorOf(() -> store.checkPut(store.authInfo(token), "k".getBytes(StandardCharsets.UTF_8))));
            clock.advance(TTL);
            assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> store.authInfo(token)));
        }
    }
}
