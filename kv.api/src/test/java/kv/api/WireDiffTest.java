package kv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The test of the golden test: each kind of drift from etcd's shape must show in the diff. */
class WireDiffTest {
    private final List<String> golden = GoldenWire.goldenLines();

    @Test
    void identicalLinesMakeNoDiff() {
        WireDiff diff = WireDiff.between(golden, List.copyOf(golden));
        assertTrue(diff.isEmpty(), diff::report);
    }

    @Test
    void changedFieldNumberIsReported() {
        String original = "field mvccpb.KeyValue.mod_revision number=3 label=optional type=int64";
        List<String> altered = replace(original, l -> l.replace("number=3", "number=7"));
        WireDiff diff = WireDiff.between(golden, altered);
        assertEquals(List.of(original), diff.missing());
        assertEquals(List.of("field mvccpb.KeyValue.mod_revision number=7 label=optional type=int64"), diff.extra());
        assertTrue(diff.report().contains("- " + original), diff.report());
    }

    @Test
    void changedStreamingFlagIsReported() {
        String original = "method etcdserverpb.Lease/LeaseKeepAlive in=etcdserverpb.LeaseKeepAliveRequest"
                + " out=etcdserverpb.LeaseKeepAliveResponse client_streaming=true server_streaming=true";
        List<String> altered = replace(original, l -> l.replace("client_streaming=true", "client_streaming=false"));
        WireDiff diff = WireDiff.between(golden, altered);
        assertEquals(List.of(original), diff.missing());
        assertEquals(1, diff.extra().size());
    }

    @Test
    void droppedFieldAndLostOneofAreReported() {
        String linearizable = "field etcdserverpb.MemberListRequest.linearizable number=1 label=optional type=bool";
        assertTrue(golden.contains(linearizable));
        List<String> withoutField = new ArrayList<>(golden);
        withoutField.remove(linearizable);
        assertEquals(List.of(linearizable), WireDiff.between(golden, withoutField).missing());

        String inOneof = "field etcdserverpb.WatchRequest.progress_request number=3 label=optional"
                + " type=message:etcdserverpb.WatchProgressRequest oneof=request_union";
        WireDiff diff = WireDiff.between(golden, replace(inOneof, l -> l.replace(" oneof=request_union", "")));
        assertFalse(diff.isEmpty());
        assertEquals(List.of(inOneof), diff.missing());
    }

    @Test
    void describerSeesOneofMembershipAndScalarTypes() {
        // the Java side must emit the same words the script does, or the golden test compares nothing
        assertEquals("field etcdserverpb.Compare.lease number=8 label=optional type=int64 oneof=target_union",
                WireDescription.field(kv.api.etcdserverpb.Compare.getDescriptor().findFieldByName("lease")));
        assertEquals("field etcdserverpb.WatchCreateRequest.filters number=5 label=repeated"
                        + " type=enum:etcdserverpb.WatchCreateRequest.FilterType",
                WireDescription.field(kv.api.etcdserverpb.WatchCreateRequest.getDescriptor().findFieldByName("filters")));
    }

    private List<String> replace(String line, UnaryOperator<String> change) {
        assertTrue(golden.contains(line), "golden lacks " + line);
        return golden.stream().map(l -> l.equals(line) ? change.apply(l) : l).toList();
    }
}
