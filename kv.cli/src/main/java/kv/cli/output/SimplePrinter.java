package kv.cli.output;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
import kv.api.etcdserverpb.AuthUserGetResponse;
import kv.api.etcdserverpb.AuthUserGrantRoleResponse;
import kv.api.etcdserverpb.AuthUserListResponse;
import kv.api.etcdserverpb.AuthUserRevokeRoleResponse;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseKeepAliveResponse;
import kv.api.etcdserverpb.LeaseLeasesResponse;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.LeaseStatus;
import kv.api.etcdserverpb.LeaseTimeToLiveResponse;
import kv.api.etcdserverpb.Member;
import kv.api.etcdserverpb.MemberAddResponse;
import kv.api.etcdserverpb.MemberListResponse;
import kv.api.etcdserverpb.MemberPromoteResponse;
import kv.api.etcdserverpb.MemberRemoveResponse;
import kv.api.etcdserverpb.MemberUpdateResponse;
import kv.api.etcdserverpb.MoveLeaderResponse;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.ResponseOp;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.etcdserverpb.WatchResponse;
import kv.api.mvccpb.Event;
import kv.api.mvccpb.KeyValue;

/** etcdctl's default format: keys and values on their own lines, one-line messages. */
final class SimplePrinter extends BasePrinter {
    private final boolean hex;

    SimplePrinter(PrintStream out, PrintStream err, boolean hex) {
        super(out, err, "simple");
        this.hex = hex;
    }

    private void kv(KeyValue kv, boolean valueOnly) {
        byte[] k = kv.getKey().toByteArray();
        byte[] v = kv.getValue().toByteArray();
        if (hex) {
            k = GoText.hexEscaped(k).getBytes(StandardCharsets.US_ASCII);
            v = GoText.hexEscaped(v).getBytes(StandardCharsets.US_ASCII);
        }
        if (!valueOnly) {
            println(k);
        }
        println(v);
    }

    @Override
    public void put(PutResponse r) {
        println("OK");
        if (r.hasPrevKv()) {
            kv(r.getPrevKv(), false);
        }
    }

    @Override
    public void get(RangeResponse r, boolean valueOnly) {
        for (KeyValue kv : r.getKvsList()) {
            kv(kv, valueOnly);
        }
    }

    @Override
    public void del(DeleteRangeResponse r) {
        println(Long.toString(r.getDeleted()));
        for (KeyValue kv : r.getPrevKvsList()) {
            kv(kv, false);
        }
    }

    @Override
    public void txn(TxnResponse r) {
        println(r.getSucceeded() ? "SUCCESS" : "FAILURE");
        for (ResponseOp op : r.getResponsesList()) {
            println("");
            switch (op.getResponseCase()) {
                case RESPONSE_RANGE -> get(op.getResponseRange(), false);
                case RESPONSE_PUT -> put(op.getResponsePut());
                case RESPONSE_DELETE_RANGE -> del(op.getResponseDeleteRange());
                case RESPONSE_TXN, RESPONSE_NOT_SET -> println("unexpected response " + op);
            }
        }
    }

    @Override
    public void watch(WatchResponse r) {
        for (Event e : r.getEventsList()) {
            println(e.getType().name());
            if (e.hasPrevKv()) {
                kv(e.getPrevKv(), false);
            }
            kv(e.getKv(), false);
        }
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        println(String.format("lease %016x granted with TTL(%ds)", r.getID(), r.getTTL()));
    }

    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        println(String.format("lease %016x revoked", id));
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        println(String.format("lease %016x keepalived with TTL(%d)", r.getID(), r.getTTL()));
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        if (r.getGrantedTTL() == 0 && r.getTTL() == -1) {
            println(String.format("lease %016x already expired", r.getID()));
            return;
        }
        String text = String.format("lease %016x granted with TTL(%ds), remaining(%ds)", r.getID(), r.getGrantedTTL(), r.getTTL());
        if (keys) {
            List<String> ks = r.getKeysList().stream().map(b -> b.toStringUtf8()).toList();
            text += ", attached keys([" + String.join(" ", ks) + "])";
        }
        println(text);
    }

    @Override
    public void leases(LeaseLeasesResponse r) {
        println("found " + r.getLeasesCount() + " leases");
        for (LeaseStatus l : r.getLeasesList()) {
            println(String.format("%016x", l.getID()));
        }
    }

    @Override
    public void alarm(AlarmResponse r) {
        for (AlarmMember a : r.getAlarmsList()) {
            // Go's %+v of the gogo message is its compact text form, trailing space included
            println("memberID:" + Long.toUnsignedString(a.getMemberID()) + " alarm:" + a.getAlarm().name() + " ");
        }
    }

    @Override
    public void memberAdd(MemberAddResponse r, String name, String peerUrls) {
        println(String.format("Member %16x added to cluster %16x", r.getMember().getID(), r.getHeader().getClusterId()));
        List<String> conf = new ArrayList<>();
        for (Member m : r.getMembersList()) {
            for (String u : m.getPeerURLsList()) {
                conf.add((m.getID() == r.getMember().getID() ? name : m.getName()) + "=" + u);
            }
        }
        println("");
        println("ETCD_NAME=" + GoText.quote(name));
        println("ETCD_INITIAL_CLUSTER=" + GoText.quote(String.join(",", conf)));
        println("ETCD_INITIAL_ADVERTISE_PEER_URLS=" + GoText.quote(peerUrls));
        println("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
    }

    @Override
    public void memberRemove(long id, MemberRemoveResponse r) {
        println(String.format("Member %16x removed from cluster %16x", id, r.getHeader().getClusterId()));
    }

    @Override
    public void memberUpdate(long id, MemberUpdateResponse r) {
        println(String.format("Member %16x updated in cluster %16x", id, r.getHeader().getClusterId()));
    }

    @Override
    public void memberPromote(long id, MemberPromoteResponse r) {
        println(String.format("Member %16x promoted in cluster %16x", id, r.getHeader().getClusterId()));
    }

    @Override
    public void memberList(MemberListResponse r) {
        Tables.memberRows(r).forEach(row -> println(String.join(", ", row)));
    }

    @Override
    public void endpointHealth(List<EndpointResults.Health> hs) {
        for (EndpointResults.Health h : hs) {
            if (h.error().isEmpty()) {
                errorLine(h.endpoint() + " is healthy: successfully committed proposal: took = " + h.took());
            } else {
                errorLine(h.endpoint() + " is unhealthy: failed to commit proposal: " + h.error());
            }
        }
    }

    @Override
    public void endpointStatus(List<EndpointResults.Status> r) {
        Tables.statusRows(r).forEach(row -> println(String.join(", ", row)));
    }

    @Override
    public void snapshotStatus(SnapshotStatus s) {
        println(String.join(", ", Tables.snapshotRow(s)));
    }

    @Override
    public void endpointHashKV(List<EndpointResults.Hash> r) {
        Tables.hashRows(r).forEach(row -> println(String.join(", ", row)));
    }

    @Override
    public void moveLeader(long leader, long target, MoveLeaderResponse r) {
        println("Leadership transferred from " + Long.toHexString(leader) + " to " + Long.toHexString(target));
    }

    @Override
    public void roleAdd(String role, AuthRoleAddResponse r) {
        println("Role " + role + " created");
    }

    @Override
    public void roleGet(String role, AuthRoleGetResponse r) {
        println("Role " + role);
        println("KV Read:");
        for (Permission p : r.getPermList()) {
            if (p.getPermType() == Permission.Type.READ || p.getPermType() == Permission.Type.READWRITE) {
                permission(p);
            }
        }
        println("KV Write:");
        for (Permission p : r.getPermList()) {
            if (p.getPermType() == Permission.Type.WRITE || p.getPermType() == Permission.Type.READWRITE) {
                permission(p);
            }
        }
    }

    private void permission(Permission p) {
        byte[] key = p.getKey().toByteArray();
        byte[] end = p.getRangeEnd().toByteArray();
        String k = p.getKey().toStringUtf8();
        if (end.length == 0) {
            println("\t" + k);
            return;
        }
        String text = Arrays.equals(end, new byte[] {0}) ? "\t[" + k + ", <open ended>" : "\t[" + k + ", " + p.getRangeEnd().toStringUtf8() + ")";
        if (Arrays.equals(KeyRanges.prefixEnd(key), end)) {
            text += " (prefix " + k + ")";
        }
        println(text);
    }

    @Override
    public void roleList(AuthRoleListResponse r) {
        r.getRolesList().forEach(this::println);
    }

    @Override
    public void roleDelete(String role, AuthRoleDeleteResponse r) {
        println("Role " + role + " deleted");
    }

    @Override
    public void roleGrantPermission(String role, AuthRoleGrantPermissionResponse r) {
        println("Role " + role + " updated");
    }

    @Override
    public void roleRevokePermission(String role, String key, String end, AuthRoleRevokePermissionResponse r) {
        if (end.isEmpty()) {
            println("Permission of key " + key + " is revoked from role " + role);
        } else if (!end.equals("\0")) {
            println("Permission of range [" + key + ", " + end + ") is revoked from role " + role);
        } else {
            println("Permission of range [" + key + ", <open ended> is revoked from role " + role);
        }
    }

    @Override
    public void userAdd(String user, AuthUserAddResponse r) {
        println("User " + user + " created");
    }

    @Override
    public void userGet(String user, AuthUserGetResponse r) {
        println("User: " + user);
        StringBuilder sb = new StringBuilder("Roles:");
        r.getRolesList().forEach(role -> sb.append(' ').append(role));
        println(sb.toString());
    }

    @Override
    public void userList(AuthUserListResponse r) {
        r.getUsersList().forEach(this::println);
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordResponse r) {
        println("Password updated");
    }

    @Override
    public void userGrantRole(String user, String role, AuthUserGrantRoleResponse r) {
        println("Role " + role + " is granted to user " + user);
    }

    @Override
    public void userRevokeRole(String user, String role, AuthUserRevokeRoleResponse r) {
        println("Role " + role + " is revoked from user " + user);
    }

    @Override
    public void userDelete(String user, AuthUserDeleteResponse r) {
        println("User " + user + " deleted");
    }
}
