package kv.auth;

import static kv.auth.Requests.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import kv.api.authpb.Permission;
import kv.api.etcdserverpb.AuthRoleGetRequest;
import kv.api.etcdserverpb.AuthRoleListRequest;
import kv.api.etcdserverpb.AuthUserGetRequest;
import kv.api.etcdserverpb.AuthUserListRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The successful paths of every change and read, the auth revision, and persistence across reopen. */
class AuthStoreTest {
    @TempDir
    Path dir;

    private Fixture f;

    @BeforeEach
    void open() {
        f = new Fixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void run(Op... ops) {
        for (Op op : ops) {
            f.apply(tx -> op.apply(f.store, tx));
        }
    }

    private List<String> rolesOf(String user) {
        return f.store.userGet(AuthUserGetRequest.newBuilder().setName(user).build()).getRolesList();
    }

    private List<Permission> permsOf(String role) {
        return f.store.roleGet(AuthRoleGetRequest.newBuilder().setRole(role).build()).getPermList();
    }

    @Test
    void newStoreIsDisabledAtRevisionOne() {
        assertFalse(f.store.isEnabled());
        assertEquals(1, f.store.revision());
        assertEquals(1, f.store.status().getAuthRevision());
        assertEquals(List.of(), f.store.userList(AuthUserListRequest.getDefaultInstance()).getUsersList());
    }

    @Test
    void everyChangeBumpsTheRevisionByOne() {
        Op[] changes = {userAdd("root", "pw"), grantRole("root", "root"), roleAdd("r"),
            grant("r", Permission.Type.READ, "a", ""), userAdd("u", "pw"), grantRole("u", "r"),
            changePassword("u", "pw2"), enable(), revokeRole("u", "r"), revoke("r", "a", ""), disable(),
            roleDelete("r"), userDelete("u"), userAddNoPassword("n")};
        long rev = f.store.revision();
        for (Op op : changes) {
            f.apply(tx -> op.apply(f.store, tx));
            assertEquals(++rev, f.store.revision());
        }
    }

    @Test
    void noOpsKeepTheRevision() {
        run(rootReady());
        run(roleAdd("r"), userAdd("u", "pw"), grantRole("u", "r"));
        long rev = f.store.revision();
        run(grantRole("u", "r"), disable()); // already granted; already disabled
        assertEquals(rev, f.store.revision());
        run(enable());
        rev = f.store.revision();
        run(enable());
        assertEquals(rev, f.store.revision());
    }

    @Test
    void enableAndDisable() {
        run(rootReady());
        run(enable());
        assertTrue(f.store.isEnabled());
        assertTrue(f.store.status().getEnabled());
        run(disable());
        assertFalse(f.store.isEnabled());
        run(userDelete("root")); // allowed again once disabled
    }

    @Test
    void rootRoleIsImplicitAndOtherRolesSorted() {
        run(userAdd("u", "pw"), roleAdd("zeta"), roleAdd("alpha"), grantRole("u", "zeta"), grantRole("u", "root"),
                grantRole("u", "alpha"));
        assertEquals(List.of("alpha", "root", "zeta"), rolesOf("u"));
        assertEquals(List.of("alpha", "zeta"), f.store.roleList(AuthRoleListRequest.getDefaultInstance()).getRolesList());
        run(revokeRole("u", "root"));
        assertEquals(List.of("alpha", "zeta"), rolesOf("u"));
    }

    @Test
    void listsAreSorted() {
        run(userAdd("carol", "pw"), userAdd("alice", "pw"), userAddNoPassword("bob"), roleAdd("b"), roleAdd("a"));
        assertEquals(List.of("alice", "bob", "carol"),
                f.store.userList(AuthUserListRequest.getDefaultInstance()).getUsersList());
        assertEquals(List.of("a", "b"), f.store.roleList(AuthRoleListRequest.getDefaultInstance()).getRolesList());
    }

    @Test
    void grantOnSameKeyAndRangeReplacesTypeAndPermissionsStaySortedByKey() {
        run(roleAdd("r"), grant("r", Permission.Type.READ, "m", ""), grant("r", Permission.Type.WRITE, "c", "d"),
                grant("r", Permission.Type.READ, "x", "\0"), grant("r", Permission.Type.READWRITE, "c", "d"),
                grant("r", Permission.Type.READ, "c", "e"));
        List<Permission> perms = permsOf("r");
        assertEquals(4, perms.size());
        assertEquals(List.of("c", "c", "m", "x"), perms.stream().map(p -> p.getKey().toStringUtf8()).toList());
        assertTrue(perms.contains(perm(Permission.Type.READWRITE, "c", "d")));
        assertFalse(perms.contains(perm(Permission.Type.WRITE, "c", "d")));
        run(revoke("r", "c", "d"));
        assertEquals(List.of(perm(Permission.Type.READ, "c", "e"), perm(Permission.Type.READ, "m", ""),
                perm(Permission.Type.READ, "x", "\0")), permsOf("r"));
    }

    @Test
    void roleDeleteTakesTheRoleFromEveryUser() {
        run(roleAdd("r"), roleAdd("s"), userAdd("a", "pw"), userAdd("b", "pw"), grantRole("a", "r"),
                grantRole("a", "s"), grantRole("b", "r"), roleDelete("r"));
        assertEquals(List.of("s"), rolesOf("a"));
        assertEquals(List.of(), rolesOf("b"));
        f.reopen();
        assertEquals(List.of("s"), rolesOf("a"));
        assertEquals(List.of(), rolesOf("b"));
    }

    @Test
    void readsOfUnknownNamesFail() {
        assertEquals(EtcdAuthError.USER_NOT_FOUND, assertThrows(AuthException.class, () -> rolesOf("nobody")).error());
        assertEquals(EtcdAuthError.ROLE_NOT_FOUND, assertThrows(AuthException.class, () -> permsOf("none")).error());
        assertEquals(EtcdAuthError.ROLE_NOT_FOUND, assertThrows(AuthException.class, () -> permsOf("root")).error());
    }

    @Test
    void stateSurvivesReopen() {
        run(rootReady());
        run(roleAdd("r"), grant("r", Permission.Type.READ, "a", "b"), grant("r", Permission.Type.WRITE, "k", ""),
                userAdd("u", "upw"), userAddNoPassword("n"), grantRole("u", "r"), enable());
        long rev = f.store.revision();
        var status = f.store.status();
        List<Permission> perms = permsOf("r");
        f.reopen();
        assertEquals(status, f.store.status());
        assertEquals(rev, f.store.revision());
        assertTrue(f.store.isEnabled());
        assertEquals(List.of("n", "root", "u"), f.store.userList(AuthUserListRequest.getDefaultInstance()).getUsersList());
        assertEquals(List.of("r"), rolesOf("u"));
        assertEquals(perms, permsOf("r"));
        assertEquals(rev, f.store.checkPassword("u", "upw"));
        assertEquals(EtcdAuthError.AUTH_FAILED,
                assertThrows(AuthException.class, () -> f.store.checkPassword("n", "")).error());
        // the permission cache is rebuilt from the persisted roles
        AuthInfo u = new AuthInfo("u", rev);
        f.store.checkRange(u, "a".getBytes(), "b".getBytes());
        f.store.checkPut(u, "k".getBytes());
        assertThrows(AuthException.class, () -> f.store.checkPut(u, "a".getBytes()));
        run(disable());
        f.reopen();
        assertFalse(f.store.isEnabled());
        assertEquals(rev + 1, f.store.revision());
    }

    @Test
    void recoverReloadsCommittedStateAndForgetsTokens() {
        run(rootReady());
        run(enable());
        String token = f.store.authenticate("root", f.store.newTokenPrefix(), 7).getToken();
        // a change applied into a transaction that is never committed: the member would stop, or recover
        try (var tx = f.backend.beginWrite()) {
            userAdd("ghost", "pw").apply(f.store, tx);
        }
        assertEquals(List.of("ghost", "root"), f.store.userList(AuthUserListRequest.getDefaultInstance()).getUsersList());
        f.store.recover();
        assertEquals(List.of("root"), f.store.userList(AuthUserListRequest.getDefaultInstance()).getUsersList());
        assertEquals(EtcdAuthError.INVALID_AUTH_TOKEN,
                assertThrows(AuthException.class, () -> f.store.authInfo(token)).error());
    }
}
