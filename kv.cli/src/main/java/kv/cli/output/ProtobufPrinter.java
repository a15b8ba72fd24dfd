package kv.cli.output;

import java.io.PrintStream;
import com.google.protobuf.MessageLite;
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
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseKeepAliveResponse;
import kv.api.etcdserverpb.LeaseLeasesResponse;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.LeaseTimeToLiveResponse;
import kv.api.etcdserverpb.MemberAddResponse;
import kv.api.etcdserverpb.MemberListResponse;
import kv.api.etcdserverpb.MemberPromoteResponse;
import kv.api.etcdserverpb.MemberRemoveResponse;
import kv.api.etcdserverpb.MemberUpdateResponse;
import kv.api.etcdserverpb.MoveLeaderResponse;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.etcdserverpb.WatchResponse;

/** The protobuf format: the answer's wire bytes, no newline. */
final class ProtobufPrinter extends BasePrinter {
    ProtobufPrinter(PrintStream out, PrintStream err) {
        super(out, err, "protobuf");
    }

    @Override
    public void put(PutResponse r) {
        print(r);
    }

    @Override
    public void del(DeleteRangeResponse r) {
        print(r);
    }

    @Override
    public void txn(TxnResponse r) {
        print(r);
    }

    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        // etcdctl hands over a value whose Marshal has a pointer receiver, so it refuses
        StringBuilder text = new StringBuilder();
        kv.api.etcdserverpb.ResponseHeader h = r.getHeader();
        appendNonZero(text, "cluster_id", Long.toUnsignedString(h.getClusterId()));
        appendNonZero(text, "member_id", Long.toUnsignedString(h.getMemberId()));
        appendNonZero(text, "revision", Long.toString(h.getRevision()));
        appendNonZero(text, "raft_term", Long.toUnsignedString(h.getRaftTerm()));
        throw new UnsupportedFormatException("marshal unsupported for type clientv3.LeaseRevokeResponse ({" + text + "})");
    }

    @Override
    public void memberAdd(MemberAddResponse r, String name, String peerUrls) {
        print(r);
    }

    @Override
    public void memberRemove(long id, MemberRemoveResponse r) {
        print(r);
    }

    @Override
    public void memberUpdate(long id, MemberUpdateResponse r) {
        print(r);
    }

    @Override
    public void memberPromote(long id, MemberPromoteResponse r) {
        print(r);
    }

    @Override
    public void memberList(MemberListResponse r) {
        print(r);
    }

    @Override
    public void moveLeader(long leader, long target, MoveLeaderResponse r) {
        print(r);
    }

    @Override
    public void alarm(AlarmResponse r) {
        print(r);
    }

    @Override
    public void roleAdd(String role, AuthRoleAddResponse r) {
        print(r);
    }

    @Override
    public void roleGet(String role, AuthRoleGetResponse r) {
        print(r);
    }

    @Override
    public void roleDelete(String role, AuthRoleDeleteResponse r) {
        print(r);
    }

    @Override
    public void roleList(AuthRoleListResponse r) {
        print(r);
    }

    @Override
    public void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) {
        print(r);
    }

    @Override
    public void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        print(r);
    }

    @Override
    public void userAdd(String user, AuthUserAddResponse r) {
        print(r);
    }

    @Override
    public void userGet(String user, AuthUserGetResponse r) {
        print(r);
    }

    @Override
    public void userList(AuthUserListResponse r) {
        print(r);
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordResponse r) {
        print(r);
    }

    @Override
    public void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) {
        print(r);
    }

    @Override
    public void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) {
        print(r);
    }

    @Override
    public void userDelete(String user, AuthUserDeleteResponse r) {
        print(r);
    }

    @Override
    public void get(RangeResponse r, boolean valueOnly) {
        print(r);
    }

    /** A field of gogo's compact text form, which Go's %v of the message shows. */
    private static void appendNonZero(StringBuilder sb, String name, String value) {
        if (!value.equals("0")) {
            sb.append(name).append(':').append(value).append(' ');
        }
    }

    private void print(MessageLite m) {
        out.writeBytes(m.toByteArray());
    }

    @Override
    public void watch(WatchResponse r) {
        // etcdctl rebuilds the message from clientv3's copy, which keeps only these fields
        print(WatchResponse.newBuilder().setHeader(r.getHeader()).addAllEvents(r.getEventsList())
                .setCompactRevision(r.getCompactRevision()).setCanceled(r.getCanceled()).setCreated(r.getCreated()).build());
    }

    // clientv3's lease answers embed *pb.ResponseHeader, whose Marshal etcdctl ends up calling:
    // only the header goes out
    @Override
    public void grant(LeaseGrantResponse r) {
        print(r.getHeader());
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        print(r.getHeader());
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        print(r.getHeader());
    }

    @Override
    public void leases(LeaseLeasesResponse r) {
        print(r.getHeader());
    }
}
