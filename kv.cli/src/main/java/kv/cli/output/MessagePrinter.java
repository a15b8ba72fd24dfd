package kv.cli.output;

import com.google.protobuf.Message;
import java.io.PrintStream;
import kv.api.etcdserverpb.AlarmResponse;
import kv.api.etcdserverpb.AuthRoleAddResponse;
import kv.api.etcdserverpb.AuthRoleDeleteResponse;
import kv.api.etcdserverpb.AuthRoleGetResponse;
import kv.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import kv.api.etcdserverpb.AuthRoleListResponse;
import kv.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import kv.api.etcdserverpb.AuthUserAddResponse;
import kv.api.etcdserverpb.AuthUserChangePasswordResponse;
import kv.api.etcdserverpb.AuthUserDeleteResponse;
import kv.api.etcdserverpb.AuthUserGetResponse;
import kv.api.etcdserverpb.AuthUserGrantRoleResponse;
import kv.api.etcdserverpb.AuthUserListResponse;
import kv.api.etcdserverpb.AuthUserRevokeRoleResponse;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.MemberAddResponse;
import kv.api.etcdserverpb.MemberListResponse;
import kv.api.etcdserverpb.MemberPromoteResponse;
import kv.api.etcdserverpb.MemberRemoveResponse;
import kv.api.etcdserverpb.MemberUpdateResponse;
import kv.api.etcdserverpb.MoveLeaderResponse;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.TxnResponse;

/**
 * A format that shows most answers as the whole message etcdctl holds (json, protobuf): etcdctl's
 * printer for these formats marshals the response as it came from the server, so every such answer
 * goes to {@link #print(Message)}. Answers that clientv3 reshapes (watch, leases, endpoint results)
 * stay with each format. Owns nothing; writes to the streams it is given; not thread-safe.
 */
abstract class MessagePrinter extends BasePrinter {
    MessagePrinter(PrintStream out, PrintStream err, String formatName) {
        super(out, err, formatName);
    }

    /** Writes one whole answer in this format. */
    protected abstract void print(Message m);

    @Override
    public final void put(PutResponse r) {
        print(r);
    }

    @Override
    public final void get(RangeResponse r, boolean valueOnly) {
        print(r);
    }

    @Override
    public final void del(DeleteRangeResponse r) {
        print(r);
    }

    @Override
    public final void txn(TxnResponse r) {
        print(r);
    }

    @Override
    public final void memberAdd(MemberAddResponse r, String name, String peerUrls) {
        print(r);
    }

    @Override
    public final void memberRemove(long id, MemberRemoveResponse r) {
        print(r);
    }

    @Override
    public final void memberUpdate(long id, MemberUpdateResponse r) {
        print(r);
    }

    @Override
    public final void memberPromote(long id, MemberPromoteResponse r) {
        print(r);
    }

    @Override
    public final void memberList(MemberListResponse r) {
        print(r);
    }

    @Override
    public final void moveLeader(long leader, long target, MoveLeaderResponse r) {
        print(r);
    }

    @Override
    public final void alarm(AlarmResponse r) {
        print(r);
    }

    @Override
    public final void roleAdd(String role, AuthRoleAddResponse r) {
        print(r);
    }

    @Override
    public final void roleGet(String role, AuthRoleGetResponse r) {
        print(r);
    }

    @Override
    public final void roleDelete(String role, AuthRoleDeleteResponse r) {
        print(r);
    }

    @Override
    public final void roleList(AuthRoleListResponse r) {
        print(r);
    }

    @Override
    public final void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) {
        print(r);
    }

    @Override
    public final void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        print(r);
    }

    @Override
    public final void userAdd(String user, AuthUserAddResponse r) {
        print(r);
    }

    @Override
    public final void userGet(String user, AuthUserGetResponse r) {
        print(r);
    }

    @Override
    public final void userList(AuthUserListResponse r) {
        print(r);
    }

    @Override
    public final void userChangePassword(AuthUserChangePasswordResponse r) {
        print(r);
    }

    @Override
    public final void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) {
        print(r);
    }

    @Override
    public final void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) {
        print(r);
    }

    @Override
    public final void userDelete(String user, AuthUserDeleteResponse r) {
        print(r);
    }
}
