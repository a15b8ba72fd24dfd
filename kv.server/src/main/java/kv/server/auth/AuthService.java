package kv.server.auth;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import kv.api.etcdserverpb.AuthDisableRequest;
import kv.api.etcdserverpb.AuthDisableResponse;
import kv.api.etcdserverpb.AuthEnableRequest;
import kv.api.etcdserverpb.AuthEnableResponse;
import kv.api.etcdserverpb.AuthGrpc;
import kv.api.etcdserverpb.AuthRoleAddRequest;
import kv.api.etcdserverpb.AuthRoleAddResponse;
import kv.api.etcdserverpb.AuthRoleDeleteRequest;
import kv.api.etcdserverpb.AuthRoleDeleteResponse;
import kv.api.etcdserverpb.AuthRoleGetRequest;
import kv.api.etcdserverpb.AuthRoleGetResponse;
import kv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import kv.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import kv.api.etcdserverpb.AuthRoleListRequest;
import kv.api.etcdserverpb.AuthRoleListResponse;
import kv.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import kv.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import kv.api.etcdserverpb.AuthStatusRequest;
import kv.api.etcdserverpb.AuthStatusResponse;
import kv.api.etcdserverpb.AuthUserAddRequest;
import kv.api.etcdserverpb.AuthUserAddResponse;
import kv.api.etcdserverpb.AuthUserChangePasswordRequest;
import kv.api.etcdserverpb.AuthUserChangePasswordResponse;
import kv.api.etcdserverpb.AuthUserDeleteRequest;
import kv.api.etcdserverpb.AuthUserDeleteResponse;
import kv.api.etcdserverpb.AuthUserGetRequest;
import kv.api.etcdserverpb.AuthUserGetResponse;
import kv.api.etcdserverpb.AuthUserGrantRoleRequest;
import kv.api.etcdserverpb.AuthUserGrantRoleResponse;
import kv.api.etcdserverpb.AuthUserListRequest;
import kv.api.etcdserverpb.AuthUserListResponse;
import kv.api.etcdserverpb.AuthUserRevokeRoleRequest;
import kv.api.etcdserverpb.AuthUserRevokeRoleResponse;
import kv.api.etcdserverpb.AuthenticateRequest;
import kv.api.etcdserverpb.AuthenticateResponse;
import kv.auth.AuthInfo;
import kv.server.core.Member;
import kv.server.rpc.Calls;
import kv.server.serverpb.InternalRequest;

/**
 * etcd's Auth service. Changes go through raft (every member applies them in the same order, with
 * the applied index); management needs the root role once auth is enabled; passwords are hashed here,
 * on the member that got the request, so they never enter the raft log.
 */
public final class AuthService extends AuthGrpc.AuthImplBase {
    private final Member member;

    public AuthService(Member member) {
        this.member = member;
    }

    private <T> void admin(StreamObserver<T> out, Supplier<InternalRequest.Builder> request) {
        Calls.answer(out, () -> {
            member.checkAdmin();
            return member.<T>propose(request.get()).thenApply(r -> stamp(r));
        });
    }

    @SuppressWarnings("unchecked")
    private <T> T stamp(T response) {
        if (response instanceof com.google.protobuf.GeneratedMessage m) {
            var field = m.getDescriptorForType().findFieldByName("header");
            if (field != null) {
                return (T) m.toBuilder().setField(field, member.header(member.store().currentRevision())).build();
            }
        }
        return response;
    }

    @Override
    public void authEnable(AuthEnableRequest r, StreamObserver<AuthEnableResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthEnable(r));
    }

    @Override
    public void authDisable(AuthDisableRequest r, StreamObserver<AuthDisableResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthDisable(r));
    }

    @Override
    public void authStatus(AuthStatusRequest r, StreamObserver<AuthStatusResponse> out) {
        Calls.answer(out, () -> CompletableFuture.completedFuture(stamp(member.auth().status(r))));
    }

    @Override
    public void authenticate(AuthenticateRequest r, StreamObserver<AuthenticateResponse> out) {
        Calls.answer(out, () -> {
            member.auth().checkPassword(r.getName(), r.getPassword());
            var req = kv.server.serverpb.AuthenticateRequest.newBuilder().setName(r.getName()).setSimpleToken(member.auth().newTokenPrefix());
            return member.<AuthenticateResponse>propose(InternalRequest.newBuilder().setAuthenticate(req)).thenApply(this::stamp);
        });
    }

    @Override
    public void userAdd(AuthUserAddRequest r, StreamObserver<AuthUserAddResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthUserAdd(member.auth().withHashedPassword(r)));
    }

    @Override
    public void userDelete(AuthUserDeleteRequest r, StreamObserver<AuthUserDeleteResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthUserDelete(r));
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordRequest r, StreamObserver<AuthUserChangePasswordResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthUserChangePassword(member.auth().withHashedPassword(r)));
    }

    @Override
    public void userGrantRole(AuthUserGrantRoleRequest r, StreamObserver<AuthUserGrantRoleResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthUserGrantRole(r));
    }

    @Override
    public void userRevokeRole(AuthUserRevokeRoleRequest r, StreamObserver<AuthUserRevokeRoleResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthUserRevokeRole(r));
    }

    @Override
    public void roleAdd(AuthRoleAddRequest r, StreamObserver<AuthRoleAddResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthRoleAdd(r));
    }

    @Override
    public void roleDelete(AuthRoleDeleteRequest r, StreamObserver<AuthRoleDeleteResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthRoleDelete(r));
    }

    @Override
    public void roleGrantPermission(AuthRoleGrantPermissionRequest r, StreamObserver<AuthRoleGrantPermissionResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthRoleGrantPermission(r));
    }

    @Override
    public void roleRevokePermission(AuthRoleRevokePermissionRequest r, StreamObserver<AuthRoleRevokePermissionResponse> out) {
        admin(out, () -> InternalRequest.newBuilder().setAuthRoleRevokePermission(r));
    }

    /** A user may read itself; everything else needs the root role (as etcd). */
    @Override
    public void userGet(AuthUserGetRequest r, StreamObserver<AuthUserGetResponse> out) {
        read(out, who -> {
            if (who == null || !who.username().equals(r.getName())) {
                member.checkAdmin(who);
            }
            return member.auth().userGet(r);
        });
    }

    @Override
    public void userList(AuthUserListRequest r, StreamObserver<AuthUserListResponse> out) {
        read(out, who -> {
            member.checkAdmin(who);
            return member.auth().userList(r);
        });
    }

    @Override
    public void roleGet(AuthRoleGetRequest r, StreamObserver<AuthRoleGetResponse> out) {
        read(out, who -> {
            member.checkAdmin(who);
            return member.auth().roleGet(r);
        });
    }

    @Override
    public void roleList(AuthRoleListRequest r, StreamObserver<AuthRoleListResponse> out) {
        read(out, who -> {
            member.checkAdmin(who);
            return member.auth().roleList(r);
        });
    }

    /** Reads of the auth store, linearizable like etcd's (which sends them through raft), by the caller of this call. */
    private <T> void read(StreamObserver<T> out, java.util.function.Function<AuthInfo, T> read) {
        AuthInfo who = Caller.current();
        Calls.answer(out, () -> member.node().readBarrier().thenApply(x -> stamp(read.apply(who))));
    }
}
