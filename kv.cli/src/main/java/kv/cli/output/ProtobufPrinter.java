package kv.cli.output;

import java.io.PrintStream;
import com.google.protobuf.Message;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseKeepAliveResponse;
import kv.api.etcdserverpb.LeaseLeasesResponse;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.LeaseTimeToLiveResponse;
import kv.api.etcdserverpb.WatchResponse;

/** The protobuf format: the answer's wire bytes, no newline. */
final class ProtobufPrinter extends MessagePrinter {
    ProtobufPrinter(PrintStream out, PrintStream err) {
        super(out, err, "protobuf");
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

    /** A field of gogo's compact text form, which Go's %v of the message shows. */
    private static void appendNonZero(StringBuilder sb, String name, String value) {
        if (!value.equals("0")) {
            sb.append(name).append(':').append(value).append(' ');
        }
    }

    @Override
    protected void print(Message m) {
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
