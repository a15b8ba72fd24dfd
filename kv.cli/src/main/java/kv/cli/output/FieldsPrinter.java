package kv.cli.output;

import java.io.PrintStream;
import java.util.List;
import kv.api.authpb.Permission;
import kv.api.etcdserverpb.AlarmMember;
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
import kv.api.etcdserverpb.AuthUserGrantRoleResponse;
import kv.api.etcdserverpb.AuthUserRevokeRoleResponse;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseKeepAliveResponse;
import kv.api.etcdserverpb.LeaseLeasesResponse;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.LeaseStatus;
import kv.api.etcdserverpb.LeaseTimeToLiveResponse;
import kv.api.etcdserverpb.Member;
import kv.api.etcdserverpb.MemberListResponse;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.ResponseOp;
import kv.api.etcdserverpb.StatusResponse;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.etcdserverpb.WatchResponse;
import kv.api.mvccpb.Event;
import kv.api.mvccpb.KeyValue;

/** The fields format: one {@code "Name" : value} line per field, Go-quoted strings. */
final class FieldsPrinter extends BasePrinter {
    FieldsPrinter(PrintStream out, PrintStream err) {
        super(out, err, "fields");
    }

    private void field(String name, Object value) {
        println("\"" + name + "\" : " + value);
    }

    private void hdr(ResponseHeader h) {
        field("ClusterID", Long.toUnsignedString(h.getClusterId()));
        field("MemberID", Long.toUnsignedString(h.getMemberId()));
        field("Revision", h.getRevision());
        field("RaftTerm", Long.toUnsignedString(h.getRaftTerm()));
    }

    private void kv(String prefix, KeyValue kv) {
        field(prefix + "Key", GoText.quote(kv.getKey().toByteArray()));
        field(prefix + "CreateRevision", kv.getCreateRevision());
        field(prefix + "ModRevision", kv.getModRevision());
        field(prefix + "Version", kv.getVersion());
        field(prefix + "Value", GoText.quote(kv.getValue().toByteArray()));
        field(prefix + "Lease", kv.getLease());
    }

    @Override
    public void put(PutResponse r) {
        hdr(r.getHeader());
        if (r.hasPrevKv()) {
            kv("Prev", r.getPrevKv());
        }
    }

    @Override
    public void get(RangeResponse r, boolean valueOnly) {
        hdr(r.getHeader());
        r.getKvsList().forEach(kv -> kv("", kv));
        field("More", r.getMore());
        field("Count", r.getCount());
    }

    @Override
    public void del(DeleteRangeResponse r) {
        hdr(r.getHeader());
        field("Deleted", r.getDeleted());
        r.getPrevKvsList().forEach(kv -> kv("Prev", kv));
    }

    @Override
    public void txn(TxnResponse r) {
        hdr(r.getHeader());
        field("Succeeded", r.getSucceeded());
        for (ResponseOp op : r.getResponsesList()) {
            switch (op.getResponseCase()) {
                case RESPONSE_RANGE -> get(op.getResponseRange(), false);
                case RESPONSE_PUT -> put(op.getResponsePut());
                case RESPONSE_DELETE_RANGE -> del(op.getResponseDeleteRange());
                case RESPONSE_TXN, RESPONSE_NOT_SET -> field("Unknown", GoText.quote(op.toString()));
            }
        }
    }

    @Override
    public void watch(WatchResponse r) {
        hdr(r.getHeader());
        for (Event e : r.getEventsList()) {
            field("Type", e.getType().name());
            if (e.hasPrevKv()) {
                kv("Prev", e.getPrevKv());
            }
            kv("", e.getKv());
        }
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        hdr(r.getHeader());
        field("ID", r.getID());
        field("TTL", r.getTTL());
    }

    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        hdr(r.getHeader());
        field("ID", r.getID());
        field("TTL", r.getTTL());
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        hdr(r.getHeader());
        field("ID", r.getID());
        field("TTL", r.getTTL());
        field("GrantedTTL", r.getGrantedTTL());
        r.getKeysList().forEach(k -> field("Key", GoText.quote(k.toByteArray())));
    }

    @Override
    public void leases(LeaseLeasesResponse r) {
        hdr(r.getHeader());
        for (LeaseStatus l : r.getLeasesList()) {
            field("ID", l.getID());
        }
    }

    @Override
    public void memberList(MemberListResponse r) {
        hdr(r.getHeader());
        for (Member m : r.getMembersList()) {
            field("ID", Long.toUnsignedString(m.getID()));
            field("Name", GoText.quote(m.getName()));
            m.getPeerURLsList().forEach(u -> field("PeerURL", GoText.quote(u)));
            m.getClientURLsList().forEach(u -> field("ClientURL", GoText.quote(u)));
            field("IsLearner", m.getIsLearner());
            println("");
        }
    }

    @Override
    public void endpointHealth(List<EndpointResults.Health> hs) {
        for (EndpointResults.Health h : hs) {
            field("Endpoint", GoText.quote(h.endpoint()));
            field("Health", h.health());
            field("Took", h.took());
            field("Error", h.error());
            println("");
        }
    }

    @Override
    public void endpointStatus(List<EndpointResults.Status> ss) {
        for (EndpointResults.Status s : ss) {
            StatusResponse r = s.status();
            hdr(r.getHeader());
            field("Version", GoText.quote(r.getVersion()));
            field("DBSize", r.getDbSize());
            field("Leader", Long.toUnsignedString(r.getLeader()));
            field("IsLearner", r.getIsLearner());
            field("RaftIndex", Long.toUnsignedString(r.getRaftIndex()));
            field("RaftTerm", Long.toUnsignedString(r.getRaftTerm()));
            field("RaftAppliedIndex", Long.toUnsignedString(r.getRaftAppliedIndex()));
            field("Errors", "[" + String.join(" ", r.getErrorsList()) + "]");
            field("Endpoint", GoText.quote(s.endpoint()));
            println("");
        }
    }

    @Override
    public void snapshotStatus(SnapshotStatus s) {
        field("Hash", GoText.quote(s.hash()));
        field("Revision", s.revisionText());
        field("Keys", s.totalKeys());
        field("Size", s.totalSize());
    }

    @Override
    public void endpointHashKV(List<EndpointResults.Hash> hs) {
        for (EndpointResults.Hash h : hs) {
            hdr(h.hash().getHeader());
            field("Endpoint", GoText.quote(h.endpoint()));
            field("Hash", Integer.toUnsignedString(h.hash().getHash()));
            println("");
        }
    }

    @Override
    public void alarm(AlarmResponse r) {
        hdr(r.getHeader());
        for (AlarmMember a : r.getAlarmsList()) {
            field("MemberID", Long.toUnsignedString(a.getMemberID()));
            field("AlarmType", a.getAlarm().name());
            println("");
        }
    }

    @Override
    public void roleAdd(String role, AuthRoleAddResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void roleGet(String role, AuthRoleGetResponse r) {
        hdr(r.getHeader());
        for (Permission p : r.getPermList()) {
            // etcdctl passes a label ending in a space to Println, hence the double space
            field("PermType", " " + p.getPermType().name());
            field("Key", GoText.quote(p.getKey().toByteArray()));
            field("RangeEnd", GoText.quote(p.getRangeEnd().toByteArray()));
        }
    }

    @Override
    public void roleDelete(String role, AuthRoleDeleteResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void roleList(AuthRoleListResponse r) {
        hdr(r.getHeader());
        StringBuilder sb = new StringBuilder("\"Roles\" :");
        r.getRolesList().forEach(role -> sb.append(' ').append(GoText.quote(role)));
        println(sb.toString());
    }

    @Override
    public void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void userAdd(String user, AuthUserAddResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) {
        hdr(r.getHeader());
    }

    @Override
    public void userDelete(String user, AuthUserDeleteResponse r) {
        hdr(r.getHeader());
    }
}
