package kv.cli.output;

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
 * Everything kvctl shows goes through one printer, chosen by {@code -w}: commands hand it the
 * server's answer and never write to the terminal themselves. Each format writes exactly what
 * etcdctl 3.4 writes for it; a format that etcdctl does not support for an answer throws
 * {@link UnsupportedFormatException}. The last group of methods are etcdctl's fixed messages, the
 * same in every format. Not thread-safe: one command uses it from one thread at a time (watch
 * callbacks synchronize on it).
 */
public interface Printer {
    void put(PutResponse r);

    /** {@code valueOnly} is {@code --print-value-only}, which only the simple format has. */
    void get(RangeResponse r, boolean valueOnly);

    void del(DeleteRangeResponse r);

    void txn(TxnResponse r);

    void watch(WatchResponse r);

    void grant(LeaseGrantResponse r);

    void revoke(long id, LeaseRevokeResponse r);

    void keepAlive(LeaseKeepAliveResponse r);

    void timeToLive(LeaseTimeToLiveResponse r, boolean keys);

    void leases(LeaseLeasesResponse r);

    /** {@code name} and {@code peerUrls} feed the simple format's {@code ETCD_*} lines. */
    void memberAdd(MemberAddResponse r, String name, String peerUrls);

    void memberRemove(long id, MemberRemoveResponse r);

    void memberUpdate(long id, MemberUpdateResponse r);

    void memberPromote(long id, MemberPromoteResponse r);

    void memberList(MemberListResponse r);

    void endpointHealth(List<EndpointResults.Health> r);

    void endpointStatus(List<EndpointResults.Status> r);

    void endpointHashKV(List<EndpointResults.Hash> r);

    void moveLeader(long leader, long target, MoveLeaderResponse r);

    void alarm(AlarmResponse r);

    /** {@code snapshot status} of a snapshot file (offline). */
    void snapshotStatus(SnapshotStatus s);

    void roleAdd(String role, AuthRoleAddResponse r);

    void roleGet(String role, AuthRoleGetResponse r);

    void roleDelete(String role, AuthRoleDeleteResponse r);

    void roleList(AuthRoleListResponse r);

    void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r);

    void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r);

    void userAdd(String user, AuthUserAddResponse r);

    void userGet(String user, AuthUserGetResponse r);

    void userList(AuthUserListResponse r);

    void userChangePassword(AuthUserChangePasswordResponse r);

    void userGrantRole(String user, String role, AuthUserGrantRoleResponse r);

    void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r);

    void userDelete(String user, AuthUserDeleteResponse r);

    // etcdctl's fixed messages: the same text whatever the format

    /** A line of text on standard output, as is. */
    void line(String text);

    /** A line of text on standard error (progress, warnings, per-endpoint failures). */
    void errorLine(String text);

    /** Flushes what was written (watch and lock print while they run). */
    void flush();
}
