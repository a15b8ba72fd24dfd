package kv.auth;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import kv.api.authpb.Role;
import kv.api.authpb.User;
import kv.backend.Backend;
import kv.backend.BackendCorruptedException;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * Where the auth state lives in the backend, laid out as etcd's: bucket {@code auth} holds
 * {@code authEnabled} (one byte, 1 or 0) and {@code authRevision} (8 bytes big-endian); buckets
 * {@code authUsers} and {@code authRoles} map a name to its serialized {@code authpb.User} /
 * {@code authpb.Role}. Buckets are created by the first write that needs them.
 */
final class AuthBuckets {
    static final String AUTH = "auth";
    static final String USERS = "authUsers";
    static final String ROLES = "authRoles";
    private static final byte[] ENABLED_KEY = bytes("authEnabled");
    private static final byte[] REVISION_KEY = bytes("authRevision");

    private AuthBuckets() {}

    /** The committed state of {@code backend}; an empty, disabled store when it has none. */
    static AuthState load(Backend backend) {
        try (ReadTx tx = backend.beginRead()) {
            boolean enabled = false;
            long revision = AuthState.FIRST_REVISION;
            if (tx.hasBucket(AUTH)) {
                byte[] e = tx.get(AUTH, ENABLED_KEY);
                enabled = e != null && e.length == 1 && e[0] == 1;
                byte[] r = tx.get(AUTH, REVISION_KEY);
                if (r != null) {
                    if (r.length != Long.BYTES) {
                        throw new BackendCorruptedException("auth: bad authRevision of " + r.length + " bytes");
                    }
                    revision = ByteBuffer.wrap(r).getLong();
                }
            }
            Map<String, User> users = new HashMap<>();
            Map<String, Role> roles = new HashMap<>();
            if (tx.hasBucket(USERS)) {
                tx.scan(USERS, null, null, (k, v) -> users.put(string(k), parseUser(v)) == null);
            }
            if (tx.hasBucket(ROLES)) {
                tx.scan(ROLES, null, null, (k, v) -> roles.put(string(k), parseRole(v)) == null);
            }
            return AuthState.of(enabled, revision, users, roles);
        }
    }

    static void putEnabled(WriteTx tx, boolean enabled) {
        tx.createBucket(AUTH);
        tx.put(AUTH, ENABLED_KEY, new byte[] {(byte) (enabled ? 1 : 0)});
    }

    static void putRevision(WriteTx tx, long revision) {
        tx.createBucket(AUTH);
        tx.put(AUTH, REVISION_KEY, ByteBuffer.allocate(Long.BYTES).putLong(revision).array());
    }

    static void putUser(WriteTx tx, User user) {
        tx.createBucket(USERS);
        tx.put(USERS, user.getName().toByteArray(), user.toByteArray());
    }

    static void deleteUser(WriteTx tx, String name) {
        if (tx.hasBucket(USERS)) {
            tx.delete(USERS, bytes(name));
        }
    }

    static void putRole(WriteTx tx, Role role) {
        tx.createBucket(ROLES);
        tx.put(ROLES, role.getName().toByteArray(), role.toByteArray());
    }

    static void deleteRole(WriteTx tx, String name) {
        if (tx.hasBucket(ROLES)) {
            tx.delete(ROLES, bytes(name));
        }
    }

    private static User parseUser(byte[] v) {
        try {
            return User.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new BackendCorruptedException("auth: unreadable user record", e);
        }
    }

    private static Role parseRole(byte[] v) {
        try {
            return Role.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new BackendCorruptedException("auth: unreadable role record", e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
