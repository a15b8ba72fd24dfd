package kv.cli.output;

import java.io.PrintStream;
import com.google.protobuf.MessageOrBuilder;
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
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.etcdserverpb.WatchResponse;

/** The json format: Go's {@code encoding/json} of the answer etcdctl holds, one object per line. */
final class JsonPrinter extends BasePrinter {
    JsonPrinter(PrintStream out, PrintStream err) {
        super(out, err, "json");
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
        print(r);
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

    private void print(MessageOrBuilder m) {
        println(GoJson.of(m));
    }

    /** clientv3's lease answers embed the header: its fields are flattened into the object. */
    private static StringBuilder flatHeader(ResponseHeader h) {
        StringBuilder sb = new StringBuilder("{");
        if (!GoJson.fields(sb, h, true)) {
            sb.append(',');
        }
        return sb;
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        StringBuilder sb = flatHeader(r.getHeader()).append("\"ID\":").append(r.getID()).append(",\"TTL\":").append(r.getTTL());
        sb.append(",\"Error\":");
        GoText.jsonString(sb, r.getError());
        println(sb.append('}').toString());
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        println(flatHeader(r.getHeader()).append("\"ID\":").append(r.getID()).append(",\"TTL\":").append(r.getTTL()).append('}').toString());
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        StringBuilder sb = flatHeader(r.getHeader()).append("\"id\":").append(r.getID()).append(",\"ttl\":").append(r.getTTL())
                .append(",\"granted-ttl\":").append(r.getGrantedTTL()).append(",\"keys\":");
        if (r.getKeysCount() == 0) {
            sb.append("null");
        } else {
            sb.append('[');
            for (int i = 0; i < r.getKeysCount(); i++) {
                sb.append(i > 0 ? "," : "");
                GoText.jsonBytes(sb, r.getKeys(i).toByteArray());
            }
            sb.append(']');
        }
        println(sb.append('}').toString());
    }

    @Override
    public void leases(LeaseLeasesResponse r) {
        StringBuilder sb = flatHeader(r.getHeader()).append("\"leases\":[");
        for (int i = 0; i < r.getLeasesCount(); i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\":").append(r.getLeases(i).getID()).append('}');
        }
        println(sb.append("]}").toString());
    }

    @Override
    public void watch(WatchResponse r) {
        StringBuilder sb = new StringBuilder("{\"Header\":");
        GoJson.message(sb, r.getHeader());
        sb.append(",\"Events\":");
        if (r.getEventsCount() == 0) {
            sb.append("null");
        } else {
            sb.append('[');
            for (int i = 0; i < r.getEventsCount(); i++) {
                sb.append(i > 0 ? "," : "");
                GoJson.message(sb, r.getEvents(i));
            }
            sb.append(']');
        }
        sb.append(",\"CompactRevision\":").append(r.getCompactRevision()).append(",\"Canceled\":").append(r.getCanceled())
                .append(",\"Created\":").append(r.getCreated()).append('}');
        println(sb.toString());
    }

    @Override
    public void endpointHealth(List<EndpointResults.Health> hs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < hs.size(); i++) {
            EndpointResults.Health h = hs.get(i);
            sb.append(i > 0 ? "," : "").append("{\"endpoint\":");
            GoText.jsonString(sb, h.endpoint());
            sb.append(",\"health\":").append(h.health()).append(",\"took\":");
            GoText.jsonString(sb, h.took());
            if (!h.error().isEmpty()) {
                sb.append(",\"error\":");
                GoText.jsonString(sb, h.error());
            }
            sb.append('}');
        }
        println(sb.append(']').toString());
    }

    @Override
    public void endpointStatus(List<EndpointResults.Status> ss) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ss.size(); i++) {
            sb.append(i > 0 ? "," : "").append("{\"Endpoint\":");
            GoText.jsonString(sb, ss.get(i).endpoint());
            sb.append(",\"Status\":");
            GoJson.message(sb, ss.get(i).status());
            sb.append('}');
        }
        println(sb.append(']').toString());
    }

    /** etcdctl's snapshot.Status struct: hash, revision, totalKey, totalSize (the hash is hex here, a SHA-256). */
    @Override
    public void snapshotStatus(SnapshotStatus s) {
        StringBuilder sb = new StringBuilder("{\"hash\":");
        GoText.jsonString(sb, s.hash());
        sb.append(",\"revision\":").append(s.revision().isPresent() ? Long.toString(s.revision().getAsLong()) : "null");
        sb.append(",\"totalKey\":").append(s.totalKeys()).append(",\"totalSize\":").append(s.totalSize()).append('}');
        println(sb.toString());
    }

    @Override
    public void endpointHashKV(List<EndpointResults.Hash> hs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < hs.size(); i++) {
            sb.append(i > 0 ? "," : "").append("{\"Endpoint\":");
            GoText.jsonString(sb, hs.get(i).endpoint());
            sb.append(",\"HashKV\":");
            GoJson.message(sb, hs.get(i).hash());
            sb.append('}');
        }
        println(sb.append(']').toString());
    }
}
