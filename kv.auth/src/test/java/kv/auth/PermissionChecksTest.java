package kv.auth;

import static kv.auth.Requests.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.stream.Stream;
import kv.api.authpb.Permission;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * etcd's isOpPermitted and authApplier rules through the store: user "u" reads {@code r/} keys, writes
 * {@code w/} keys, reads and writes {@code rw/} keys.
 */
class PermissionChecksTest {
    @TempDir
    Path dir;

    private Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(dir);
        for (Op op : new Op[] {userAdd("root", "pw"), grantRole("root", "root"), roleAdd("r"),
            grant("r", Permission.Type.READ, "r/", "r0"), grant("r", Permission.Type.WRITE, "w/", "w0"),
            grant("r", Permission.Type.READWRITE, "rw/", "rw0"), userAdd("u", "pw"), grantRole("u", "r"),
            userAdd("idle", "pw"), enable()}) {
            f.apply(tx -> op.apply(f.store, tx));
        }
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private AuthInfo u() {
        return new AuthInfo("u", f.store.revision());
    }

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static RequestOp range(String key, String end) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b(key)).setRangeEnd(b(end))).build();
    }

    private static RequestOp put(String key, boolean prevKv) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b(key)).setPrevKv(prevKv)).build();
    }

    private static RequestOp delete(String key, String end, boolean prevKv) {
        return RequestOp.newBuilder().setRequestDeleteRange(
                DeleteRangeRequest.newBuilder().setKey(b(key)).setRangeEnd(b(end)).setPrevKv(prevKv)).build();
    }

    private static RequestOp txn(TxnRequest t) {
        return RequestOp.newBuilder().setRequestTxn(t).build();
    }

    private static Compare compare(String key, String end) {
        return Compare.newBuilder().setKey(b(key)).setRangeEnd(b(end)).build();
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("range in r/", range("r/a", ""), true),
                Arguments.of("range over r/", range("r/", "r0"), true),
                Arguments.of("range in w/", range("w/a", ""), false),
                Arguments.of("put in w/", put("w/a", false), true),
                Arguments.of("put in w/ with prev_kv needs read", put("w/a", true), false),
                Arguments.of("put in rw/ with prev_kv", put("rw/a", true), true),
                Arguments.of("put in r/", put("r/a", false), false),
                Arguments.of("delete in w/", delete("w/", "w0", false), true),
                Arguments.of("delete in w/ with prev_kv needs read", delete("w/", "w0", true), false),
                Arguments.of("delete in rw/ with prev_kv", delete("rw/", "rw0", true), true),
                Arguments.of("delete past w/", delete("w/", "x", false), false),
                Arguments.of("txn: compare r/, put w/, else range r/",
                        txn(TxnRequest.newBuilder().addCompare(compare("r/a", "")).addSuccess(put("w/a", false))
                                .addFailure(range("r/a", "")).build()), true),
                Arguments.of("txn: compare on w/ needs read",
                        txn(TxnRequest.newBuilder().addCompare(compare("w/a", "")).build()), false),
                Arguments.of("txn: compare over a range of r/",
                        txn(TxnRequest.newBuilder().addCompare(compare("r/", "r0")).build()), true),
                Arguments.of("txn: failure branch checked too",
                        txn(TxnRequest.newBuilder().addSuccess(put("w/a", false)).addFailure(put("r/a", false)).build()),
                        false),
                Arguments.of("txn: nested txn checked",
                        txn(TxnRequest.newBuilder().addSuccess(txn(TxnRequest.newBuilder()
                                .addSuccess(delete("r/a", "", false)).build())).build()), false),
                Arguments.of("txn: nested txn permitted",
                        txn(TxnRequest.newBuilder().addSuccess(txn(TxnRequest.newBuilder()
                                .addCompare(compare("rw/x", "")).addSuccess(delete("rw/a", "", true)).build())).build()),
                        true),
                Arguments.of("txn: empty", txn(TxnRequest.getDefaultInstance()), true));
    }

    private Executable check(AuthInfo who, RequestOp op) {
        return switch (op.getRequestCase()) {
            case REQUEST_RANGE -> () -> f.store.check(who, op.getRequestRange());
            case REQUEST_PUT -> () -> f.store.check(who, op.getRequestPut());
            case REQUEST_DELETE_RANGE -> () -> f.store.check(who, op.getRequestDeleteRange());
            case REQUEST_TXN -> () -> f.store.check(who, op.getRequestTxn());
            case REQUEST_NOT_SET -> throw new IllegalArgumentException();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requestRules(String name, RequestOp op, boolean permitted) throws Throwable {
        if (permitted) {
            check(u(), op).execute();
        } else {
            assertEquals(EtcdAuthError.PERMISSION_DENIED, assertThrows(AuthException.class, check(u(), op)).error());
        }
        // root may do anything; with auth disabled, anybody may
        check(new AuthInfo("root", f.store.revision()), op).execute();
        f.apply(tx -> disable().apply(f.store, tx));
        check(new AuthInfo("idle", 1), op).execute();
        check(null, op).execute();
    }

    private EtcdAuthError errorOf(Executable e) {
        return assertThrows(AuthException.class, e).error();
    }

    @Test
    void noAuthInfoIsUserEmpty() {
        assertEquals(EtcdAuthError.USER_EMPTY, errorOf(() -> f.store.checkRange(null, b("r/a").toByteArray(), new byte[0])));
        assertEquals(EtcdAuthError.USER_EMPTY, errorOf(() -> f.store.checkAdmin(null)));
    }

    @Test
    void unknownUserAndUserWithoutRolesAreDenied() {
        long rev = f.store.revision();
        assertEquals(EtcdAuthError.PERMISSION_DENIED,
                errorOf(() -> f.store.checkPut(new AuthInfo("ghost", rev), b("w/a").toByteArray())));
        assertEquals(EtcdAuthError.PERMISSION_DENIED,
                errorOf(() -> f.store.checkRange(new AuthInfo("idle", rev), b("r/a").toByteArray(), new byte[0])));
    }

    @Test
    void requestsResolvedAtAnOlderRevisionFail() {
        AuthInfo before = u();
        f.store.checkPut(before, b("w/a").toByteArray());
        f.apply(tx -> roleAdd("unrelated").apply(f.store, tx)); // any change bumps the revision
        assertEquals(EtcdAuthError.AUTH_OLD_REVISION, errorOf(() -> f.store.checkPut(before, b("w/a").toByteArray())));
        assertEquals(EtcdAuthError.AUTH_OLD_REVISION,
                errorOf(() -> f.store.check(before, TxnRequest.getDefaultInstance().toBuilder()
                        .addCompare(compare("r/a", "")).build())));
        f.store.checkPut(u(), b("w/a").toByteArray()); // resolved again: fine
        // the old-revision rule comes before the permission check, even for root
        AuthInfo oldRoot = new AuthInfo("root", 1);
        assertEquals(EtcdAuthError.AUTH_OLD_REVISION, errorOf(() -> f.store.checkPut(oldRoot, b("x").toByteArray())));
    }

    @Test
    void revokedPermissionTakesEffectAtOnce() {
        f.store.checkPut(u(), b("w/a").toByteArray());
        f.apply(tx -> revoke("r", "w/", "w0").apply(f.store, tx));
        assertEquals(EtcdAuthError.PERMISSION_DENIED, errorOf(() -> f.store.checkPut(u(), b("w/a").toByteArray())));
        f.apply(tx -> grant("r", Permission.Type.WRITE, "w/", "\0").apply(f.store, tx));
        f.store.checkPut(u(), b("zzz").toByteArray());
        f.apply(tx -> revokeRole("u", "r").apply(f.store, tx));
        assertEquals(EtcdAuthError.PERMISSION_DENIED, errorOf(() -> f.store.checkPut(u(), b("zzz").toByteArray())));
    }

    @Test
    void adminNeedsTheRootRole() {
        long rev = f.store.revision();
        f.store.checkAdmin(new AuthInfo("root", rev));
        assertEquals(EtcdAuthError.PERMISSION_DENIED, errorOf(() -> f.store.checkAdmin(new AuthInfo("u", rev))));
        assertEquals(EtcdAuthError.USER_NOT_FOUND, errorOf(() -> f.store.checkAdmin(new AuthInfo("ghost", rev))));
        f.apply(tx -> grantRole("u", "root").apply(f.store, tx));
        f.store.checkAdmin(new AuthInfo("u", f.store.revision()));
        f.store.checkPut(new AuthInfo("u", f.store.revision()), b("anything").toByteArray());
        f.apply(tx -> disable().apply(f.store, tx));
        f.store.checkAdmin(null);
    }
}
