package kv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kv's generated descriptors must describe exactly the wire shape of etcd 3.5, as written to
 * {@code etcd-3.5-wire.golden} by {@code src/test/golden/etcd_wire_golden.py} from etcd's own files.
 */
class GoldenWireTest {

    @Test
    void generatedDescriptorsMatchEtcd() {
        WireDiff diff = WireDiff.between(GoldenWire.goldenLines(), GoldenWire.generatedLines());
        assertTrue(diff.isEmpty(), diff::report);
    }

    @Test
    void goldenCoversEveryServiceOfTheContract() {
        List<String> services = GoldenWire.goldenLines().stream().filter(l -> l.startsWith("service ")).toList();
        assertEquals(List.of("service etcdserverpb.Auth", "service etcdserverpb.Cluster", "service etcdserverpb.KV",
                "service etcdserverpb.Lease", "service etcdserverpb.Maintenance", "service etcdserverpb.Watch",
                "service v3electionpb.Election", "service v3lockpb.Lock"), services);
        long methods = GoldenWire.goldenLines().stream().filter(l -> l.startsWith("method ")).count();
        assertEquals(48, methods, "methods in etcd 3.5's client API");
    }

    @Test
    void goldenHasTheEtcd35AdditionsAndNo36Fields() {
        List<String> golden = GoldenWire.goldenLines();
        assertTrue(golden.contains("method etcdserverpb.Maintenance/Downgrade in=etcdserverpb.DowngradeRequest"
                + " out=etcdserverpb.DowngradeResponse client_streaming=false server_streaming=false"));
        assertTrue(golden.contains("field etcdserverpb.MemberListRequest.linearizable number=1 label=optional type=bool"));
        assertTrue(golden.stream().noneMatch(l -> l.contains("hash_revision") || l.contains("storageVersion")
                || l.contains("DowngradeInfo")), "3.6 additions must stay out");
    }

    @Test
    void descriptionIsSortedAndHasNoDuplicates() {
        List<String> lines = GoldenWire.generatedLines();
        assertEquals(lines.stream().sorted().distinct().toList(), lines);
        assertEquals(GoldenWire.goldenLines().stream().sorted().distinct().toList(), GoldenWire.goldenLines(),
                "the golden file is sorted and free of duplicates, as the script writes it");
    }
}
