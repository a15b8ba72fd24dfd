package kv.auth;

import static kv.auth.Requests.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import kv.api.authpb.UserAddOptions;
import kv.api.etcdserverpb.AuthUserAddRequest;
import kv.api.etcdserverpb.AuthUserChangePasswordRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Password hashing, its cost mapping, and checkPassword on the proposer. */
class PasswordsTest {
    @TempDir
    Path dir;

    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_COST);

    private static EtcdAuthError errorOf(Executable e) {
        return assertThrows(AuthException.class, e).error();
    }

    @Test
    void hashIsSelfDescribingAndSalted() {
        String h = hasher.hash("secret");
        String[] parts = h.split("\\$");
        assertEquals(4, parts.length, h);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals(String.valueOf(PasswordHasher.iterationsForCost(PasswordHasher.MIN_COST)), parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
        assertNotEquals(h, hasher.hash("secret"), "a fresh salt per hash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"secret", "", "päss wörd ✓", "a-very-long-password-a-very-long-password-a-very-long"})
    void verifiesItsOwnHashAndNothingElse(String password) {
        String h = hasher.hash(password);
        assertTrue(PasswordHasher.verify(password, h));
        assertFalse(PasswordHasher.verify(password + "x", h));
        assertFalse(PasswordHasher.verify("wrong", h));
    }

    @Test
    void hashesOfAnotherCostStillVerify() {
        String h = new PasswordHasher(5).hash("pw");
        assertTrue(PasswordHasher.verify("pw", h));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pw", "bcrypt$1$AAAA$AAAA", "pbkdf2-sha256$x$AAAA$AAAA", "pbkdf2-sha256$0$AAAA$AAAA",
        "pbkdf2-sha256$10$!!$AAAA", "pbkdf2-sha256$10$AAAA$AAAA", "pbkdf2-sha256$10$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void malformedHashesMatchNothing(String hash) {
        assertFalse(PasswordHasher.verify("pw", hash));
    }

    @ParameterizedTest
    @CsvSource({"4,9375", "9,300000", "10,600000", "11,1200000", "12,2400000", "21,1228800000"})
    void costMapsToIterations(int cost, int iterations) {
        assertEquals(iterations, PasswordHasher.iterationsForCost(cost));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 22, 31, -1})
    void costOutOfRangeIsRejected(int cost) {
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.iterationsForCost(cost));
        assertThrows(IllegalArgumentException.class, () -> new AuthConfig(cost, Fixture.CONFIG.tokenTtl()));
    }

    @Test
    void proposerHashesAndClearsThePassword() {
        try (Fixture f = new Fixture(dir)) {
            AuthUserAddRequest add = f.store.withHashedPassword(
                    AuthUserAddRequest.newBuilder().setName("u").setPassword("pw").build());
            assertEquals("", add.getPassword());
            assertTrue(PasswordHasher.verify("pw", add.getHashedPassword()));
            AuthUserAddRequest none = f.store.withHashedPassword(AuthUserAddRequest.newBuilder().setName("n")
                    .setPassword("ignored").setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build());
            assertEquals("", none.getPassword());
            assertEquals("", none.getHashedPassword());
            AuthUserChangePasswordRequest change = f.store.withHashedPassword(
                    AuthUserChangePasswordRequest.newBuilder().setName("u").setPassword("pw2").build());
            assertEquals("", change.getPassword());
            assertTrue(PasswordHasher.verify("pw2", change.getHashedPassword()));
            assertEquals(change, f.store.withHashedPassword(change), "already hashed: unchanged");
        }
    }

    @Test
    void checkPassword() {
        try (Fixture f = new Fixture(dir)) {
            for (Op op : new Op[] {userAdd("root", "rootpw"), grantRole("root", "root"), userAdd("u", "upw"),
                userAddNoPassword("cn")}) {
                f.apply(tx -> op.apply(f.store, tx));
            }
            assertEquals(EtcdAuthError.AUTH_NOT_ENABLED, errorOf(() -> f.store.checkPassword("u", "upw")));
            f.apply(tx -> enable().apply(f.store, tx));
            assertEquals(f.store.revision(), f.store.checkPassword("u", "upw"));
            assertEquals(EtcdAuthError.AUTH_FAILED, errorOf(() -> f.store.checkPassword("u", "wrong")));
            assertEquals(EtcdAuthError.AUTH_FAILED, errorOf(() -> f.store.checkPassword("u", "")));
            assertEquals(EtcdAuthError.AUTH_FAILED, errorOf(() -> f.store.checkPassword("ghost", "upw")));
            assertEquals(EtcdAuthError.AUTH_FAILED, errorOf(() -> f.store.checkPassword("cn", "")));
            assertEquals(EtcdAuthError.AUTH_FAILED, errorOf(() -> f.store.checkPassword("cn", "anything")));
            f.apply(tx -> changePassword("u", "new").apply(f.store, tx));
            assertEquals(EtcdAuthError.AUTH_FAILED, errorOf(() -> f.store.checkPassword("u", "upw")));
            assertEquals(f.store.revision(), f.store.checkPassword("u", "new"));
        }
    }

    @Test
    void clearPasswordInTheEntryIsHashedAtApply() {
        try (Fixture f = new Fixture(dir)) {
            for (Op op : rootReady()) {
                f.apply(tx -> op.apply(f.store, tx));
            }
            f.apply(tx -> f.store.apply(tx, AuthUserAddRequest.newBuilder().setName("old").setPassword("pw").build()));
            f.apply(tx -> enable().apply(f.store, tx));
            f.store.checkPassword("old", "pw");
            f.reopen();
            f.store.checkPassword("old", "pw");
        }
    }
}
