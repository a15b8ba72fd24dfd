package kv.auth;

import static kv.auth.Requests.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Simple tokens: issue at apply, lookup, TTL refreshed on use against a driven clock, invalidation. */
class TokensTest {
    @TempDir
    Path dir;

    private Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(dir);
        for (Op op : new Op[] {userAdd("root", "pw"), grantRole("root", "root"), userAdd("u", "upw"),
            userAddNoPassword("cn"), enable()}) {
            f.apply(tx -> op.apply(f.store, tx));
        }
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private String login(String user, long index) {
        return f.store.authenticate(user, f.store.newTokenPrefix(), index).getToken();
    }

    private EtcdAuthError errorOf(Executable e) {
        return assertThrows(AuthException.class, e).error();
    }

    @Test
    void tokenIsRandomLettersDotIndexAndNamesItsUser() {
        String prefix = f.store.newTokenPrefix();
        assertTrue(prefix.matches("[a-zA-Z]{16}"), prefix);
        assertNotEquals(prefix, f.store.newTokenPrefix());
        String token = f.store.authenticate("u", prefix, 42).getToken();
        assertEquals(prefix + ".42", token);
        assertEquals(new AuthInfo("u", f.store.revision()), f.store.authInfo(token));
    }

    @Test
    void authInfoCarriesTheCurrentRevision() {
        String token = login("u", 1);
        f.apply(tx -> roleAdd("r").apply(f.store, tx));
        assertEquals(f.store.revision(), f.store.authInfo(token).revision());
    }

    @Test
    void unknownTokenIsInvalid() {
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> f.store.authInfo("nope.1")));
    }

    @Test
    void tokenExpiresAfterTheTtlWithoutUse() {
        String token = login("u", 1);
        f.clock.advance(Fixture.CONFIG.tokenTtl().minusSeconds(1));
        assertEquals(0, f.store.expireTokens());
        f.clock.advance(Duration.ofSeconds(1));
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> f.store.authInfo(token)));
    }

    @Test
    void useRefreshesTheTtl() {
        String token = login("u", 1);
        Duration step = Fixture.CONFIG.tokenTtl().minusSeconds(10);
        for (int i = 0; i < 5; i++) { // well past one TTL in total, but never idle that long
            f.clock.advance(step);
            assertEquals("u", f.store.authInfo(token).username());
        }
        f.clock.advance(Fixture.CONFIG.tokenTtl());
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> f.store.authInfo(token)));
    }

    @Test
    void expireTokensDropsOnlyExpiredOnes() {
        login("u", 1);
        login("root", 2);
        f.clock.advance(Duration.ofSeconds(200));
        String fresh = login("u", 3);
        f.clock.advance(Duration.ofSeconds(100));
        assertEquals(2, f.store.expireTokens());
        assertEquals("u", f.store.authInfo(fresh).username());
        assertEquals(0, f.store.expireTokens());
    }

    @Test
    void deletingTheUserOrChangingItsPasswordInvalidatesItsTokens() {
        String u1 = login("u", 1);
        String root = login("root", 2);
        f.apply(tx -> changePassword("u", "new").apply(f.store, tx));
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> f.store.authInfo(u1)));
        assertEquals("root", f.store.authInfo(root).username());
        String u2 = login("u", 3);
        f.apply(tx -> userDelete("u").apply(f.store, tx));
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> f.store.authInfo(u2)));
        assertEquals("root", f.store.authInfo(root).username());
    }

    @Test
    void disablingForgetsEveryToken() {
        String token = login("root", 1);
        f.apply(tx -> disable().apply(f.store, tx));
        f.apply(tx -> enable().apply(f.store, tx));
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> f.store.authInfo(token)));
    }

    @Test
    void authenticateApplyRules() {
        assertEquals(EtcdAuthError.AUTH_FAILED, errorOf(() -> login("ghost", 1)));
        assertEquals(EtcdAuthError.AUTH_FAILED, errorOf(() -> login("cn", 1)));
        f.apply(tx -> disable().apply(f.store, tx));
        assertEquals(EtcdAuthError.AUTH_NOT_ENABLED, errorOf(() -> login("u", 1)));
    }

    @Test
    void tokensAreNotPersisted() {
        String token = login("u", 1);
        f.reopen();
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN, errorOf(() -> f.store.authInfo(token)));
    }
}
