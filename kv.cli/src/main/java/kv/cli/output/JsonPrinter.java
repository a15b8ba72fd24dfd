package kv.cli.output;

import java.io.PrintStream;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.util.List;
import java.util.function.Function;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseKeepAliveResponse;
import kv.api.etcdserverpb.LeaseLeasesResponse;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.LeaseTimeToLiveResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.WatchResponse;

/** The json format: Go's {@code encoding/json} of the answer etcdctl holds, one object per line. */
final class JsonPrinter extends MessagePrinter {
    JsonPrinter(PrintStream out, PrintStream err) {
        super(out, err, "json");
    }

    @Override
    public void revoke(long id, LeaseRevokeResponse r) {
        print(r);
    }

    @Override
    protected void print(Message m) {
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
        endpointArray(ss, "Status", EndpointResults.Status::endpoint, EndpointResults.Status::status);
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
        endpointArray(hs, "HashKV", EndpointResults.Hash::endpoint, EndpointResults.Hash::hash);
    }

    /** etcdctl's per-endpoint answers: {@code [{"Endpoint":..., "<field>":<message>}, ...]}. */
    private <T> void endpointArray(List<T> results, String field, Function<T, String> endpoint, Function<T, MessageOrBuilder> answer) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < results.size(); i++) {
            sb.append(i > 0 ? "," : "").append("{\"Endpoint\":");
            GoText.jsonString(sb, endpoint.apply(results.get(i)));
            sb.append(",\"").append(field).append("\":");
            GoJson.message(sb, answer.apply(results.get(i)));
            sb.append('}');
        }
        println(sb.append(']').toString());
    }
}
