package kv.cli.output;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

/**
 * A printer that supports nothing but etcdctl's fixed messages: each format overrides what it can
 * show, and everything else fails the way etcdctl does ("json not supported as output format").
 * Owns nothing; writes to the streams it is given.
 */
abstract class BasePrinter implements Printer {
    protected final PrintStream out;
    protected final PrintStream err;
    private final String formatName;

    BasePrinter(PrintStream out, PrintStream err, String formatName) {
        this.out = out;
        this.err = err;
        this.formatName = formatName;
    }

    protected final UnsupportedFormatException unsupported() {
        return new UnsupportedFormatException(formatName + " not supported as output format");
    }

    /** Writes {@code text} in UTF-8 followed by a newline (never the platform separator). */
    protected final void println(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    /** Writes raw bytes followed by a newline: keys and values go out exactly as stored. */
    protected final void println(byte[] raw) {
        out.writeBytes(raw);
        out.write('\n');
    }

    @Override
    public void line(String text) {
        println(text);
    }

    @Override
    public void errorLine(String text) {
        err.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        err.write('\n');
        err.flush();
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void put(PutResponse r) {
        throw unsupported();
    }

    @Override
    public void get(RangeResponse r, boolean valueOnly) {
        throw unsupported();
    }

    @Override
    public void del(DeleteRangeResponse r) {
        throw unsupported();
    }

    @Override
    public void txn(TxnResponse r) {
        throw unsupported();
    }

    @Override
    public void watch(WatchResponse r) {
        throw unsupported();
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        throw unsupported();
    }

    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        throw unsupported();
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        throw unsupported();
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        throw unsupported();
    }

    @Override
    public void leases(LeaseLeasesResponse r) {
        throw unsupported();
    }

    @Override
    public void memberAdd(MemberAddResponse r, String name, String peerUrls) {
        throw unsupported();
    }

    @Override
    public void memberRemove(long id, MemberRemoveResponse r) {
        throw unsupported();
    }

    @Override
    public void memberUpdate(long id, MemberUpdateResponse r) {
        throw unsupported();
    }

    @Override
    public void memberPromote(long id, MemberPromoteResponse r) {
        throw unsupported();
    }

    @Override
    public void memberList(MemberListResponse r) {
        throw unsupported();
    }

    @Override
    public void endpointHealth(List<EndpointResults.Health> r) {
        throw unsupported();
    }

    @Override
    public void endpointStatus(List<EndpointResults.Status> r) {
        throw unsupported();
    }

    @Override
    public void endpointHashKV(List<EndpointResults.Hash> r) {
        throw unsupported();
    }

    @Override
    public void moveLeader(long leader, long target, MoveLeaderResponse r) {
        throw unsupported();
    }

    @Override
    public void alarm(AlarmResponse r) {
        throw unsupported();
    }

    @Override
    public void snapshotStatus(SnapshotStatus s) {
        throw unsupported();
    }

    @Override
    public void roleAdd(String role, AuthRoleAddResponse r) {
        throw unsupported();
    }

    @Override
    public void roleGet(String role, AuthRoleGetResponse r) {
        throw unsupported();
    }

    @Override
    public void roleDelete(String role, AuthRoleDeleteResponse r) {
        throw unsupported();
    }

    @Override
    public void roleList(AuthRoleListResponse r) {
        throw unsupported();
    }

    @Override
    public void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) {
        throw unsupported();
    }

    @Override
    public void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        throw unsupported();
    }

    @Override
    public void userAdd(String user, AuthUserAddResponse r) {
        throw unsupported();
    }

    @Override
    public void userGet(String user, AuthUserGetResponse r) {
        throw unsupported();
    }

    @Override
    public void userList(AuthUserListResponse r) {
        throw unsupported();
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordResponse r) {
        throw unsupported();
    }

    @Override
    public void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) {
        throw unsupported();
    }

    @Override
    public void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) {
        throw unsupported();
    }

    @Override
    public void userDelete(String user, AuthUserDeleteResponse r) {
        throw unsupported();
    }
}
