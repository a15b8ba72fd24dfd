package kv.auth;

import com.google.protobuf.ByteString;
import kv.api.authpb.Permission;
import kv.api.authpb.UserAddOptions;
import kv.api.etcdserverpb.AuthDisableRequest;
import kv.api.etcdserverpb.AuthEnableRequest;
import kv.api.etcdserverpb.AuthRoleAddRequest;
import kv.api.etcdserverpb.AuthRoleDeleteRequest;
import kv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import kv.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import kv.api.etcdserverpb.AuthUserAddRequest;
import kv.api.etcdserverpb.AuthUserChangePasswordRequest;
import kv.api.etcdserverpb.AuthUserDeleteRequest;
import kv.api.etcdserverpb.AuthUserGrantRoleRequest;
import kv.api.etcdserverpb.AuthUserRevokeRoleRequest;
import kv.backend.WriteTx;

/** Test shorthand: each change as an {@link Op} that applies one etcd request, hashed as a proposer would. */
final class Requests {
    private Requests() {}

    /** One change applied to a store inside a write transaction. */
    @FunctionalInterface
    interface Op {
        Object apply(AuthStore store, WriteTx tx);
    }

    static Op userAdd(String name, String password) {
        return (s, tx) -> s.apply(tx, s.withHashedPassword(
                AuthUserAddRequest.newBuilder().setName(name).setPassword(password).build()));
    }

    static Op userAddNoPassword(String name) {
        return (s, tx) -> s.apply(tx, s.withHashedPassword(AuthUserAddRequest.newBuilder().setName(name)
                .setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build()));
    }

    static Op userDelete(String name) {
        return (s, tx) -> s.apply(tx, AuthUserDeleteRequest.newBuilder().setName(name).build());
    }

    static Op changePassword(String name, String password) {
        return (s, tx) -> s.apply(tx, s.withHashedPassword(
                AuthUserChangePasswordRequest.newBuilder().setName(name).setPassword(password).build()));
    }

    static Op grantRole(String user, String role) {
        return (s, tx) -> s.apply(tx, AuthUserGrantRoleRequest.newBuilder().setUser(user).setRole(role).build());
    }

    static Op revokeRole(String user, String role) {
        return (s, tx) -> s.apply(tx, AuthUserRevokeRoleRequest.newBuilder().setName(user).setRole(role).build());
    }

    static Op roleAdd(String name) {
        return (s, tx) -> s.apply(tx, AuthRoleAddRequest.newBuilder().setName(name).build());
    }

    static Op roleDelete(String name) {
        return (s, tx) -> s.apply(tx, AuthRoleDeleteRequest.newBuilder().setRole(name).build());
    }

    static Op grant(String role, Permission.Type type, String key, String rangeEnd) {
        return (s, tx) -> s.apply(tx, AuthRoleGrantPermissionRequest.newBuilder().setName(role)
                .setPerm(perm(type, key, rangeEnd)).build());
    }

    static Op revoke(String role, String key, String rangeEnd) {
        return (s, tx) -> s.apply(tx, AuthRoleRevokePermissionRequest.newBuilder().setRole(role)
                .setKey(ByteString.copyFromUtf8(key)).setRangeEnd(ByteString.copyFromUtf8(rangeEnd)).build());
    }

    static Op enable() {
        return (s, tx) -> s.apply(tx, AuthEnableRequest.getDefaultInstance());
    }

    static Op disable() {
        return (s, tx) -> s.apply(tx, AuthDisableRequest.getDefaultInstance());
    }

    static Permission perm(Permission.Type type, String key, String rangeEnd) {
        return Permission.newBuilder().setPermType(type).setKey(ByteString.copyFromUtf8(key))
                .setRangeEnd(ByteString.copyFromUtf8(rangeEnd)).build();
    }

    /** Root with the root role, ready for {@link #enable()}. */
    static Op[] rootReady() {
        return new Op[] {userAdd("root", "rootpw"), grantRole("root", "root")};
    }
}
