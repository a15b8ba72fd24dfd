package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kv.admin.DataDir;
import kv.api.etcdserverpb.AlarmMember;
import kv.api.etcdserverpb.AlarmRequest;
import kv.api.etcdserverpb.AlarmType;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.mvccpb.KeyValue;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.WriteTx;
import kv.testkit.TestServer.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The periodic corruption check: one member's backend is changed behind raft's back (a value
 * rewritten in its file while it is stopped); once it is back, the leader finds its HashKV differs
 * at the same revision, raises the CORRUPT alarm for it, and every member refuses writes with etcd's
 * "corrupt cluster" while reads still work.
 */
class CorruptionCheckKvdTest extends ClusterContract {
    @Override
    Kind kind() {
        return Kind.KVD;
    }

    @Test
    void aMemberWhoseDataDiffersRaisesCorruptAndWritesStop(@TempDir Path dir) throws Exception {
        ClusterRunner.Spec spec = new ClusterRunner.Spec(Kind.KVD, 3, 10_000, List.of());
        try (ClusterRunner cluster = ClusterRunner.start(spec, dir, List.of("--experimental-corrupt-check-time", "1s"))) {
            try {
                for (int k = 0; k < 20; k++) {
                    put(cluster.channel(k % 3), "corrupt/" + k, "v" + k, Duration.ofSeconds(10));
                }
                cluster.awaitConverged(Duration.ofSeconds(60));
                int victim = 2;
                long victimId = cluster.status(victim, Duration.ofSeconds(5)).orElseThrow().memberId();
                cluster.stop(victim);
                rewriteOneValue(cluster.dataDir(victim));
                cluster.restart(victim);
                var maintenance = MaintenanceGrpc.newBlockingStub(cluster.channel(0));
                List<AlarmMember> alarms = List.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (alarms.isEmpty() && System.nanoTime() < deadline) {
                    ClusterRunner.sleep(Duration.ofMillis(200));
                    alarms = maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET)
                            .setAlarm(AlarmType.CORRUPT).build()).getAlarmsList();
                }
                assertTrue(alarms.stream().anyMatch(a -> a.getMemberID() == victimId && a.getAlarm() == AlarmType.CORRUPT),
                        "no CORRUPT alarm for the changed member " + Long.toHexString(victimId) + ": " + alarms);
                for (int i = 0; i < cluster.size(); i++) {
                    int member = i;
                    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                            () -> put(cluster.channel(member), "corrupt/after", "x", Duration.ofSeconds(10)));
                    assertEquals("etcdserver: corrupt cluster", e.getStatus().getDescription(), "a put on " + ClusterRunner.name(member));
                }
                assertEquals(20, range(cluster.channel(0), "corrupt/", false, Duration.ofSeconds(10)).getCount(), "reads still served");
            } catch (Throwable t) {
                System.out.println("statuses: " + cluster.statuses());
                cluster.printLogs();
                throw t;
            }
        }
    }

    /** Changes the value of the first key revision in the stopped member's jbolt file. */
    private static void rewriteOneValue(Path dataDir) throws Exception {
        Path file = new DataDir(dataDir).backend("jbolt");
        try (Backend b = BackendLocator.load(null).find("jbolt").open(BackendConfig.of(file))) {
            byte[][] first = new byte[2][];
            try (var tx = b.beginRead()) {
                tx.scan("key", null, null, (k, v) -> {
                    KeyValue kv;
                    try {
                        kv = KeyValue.parseFrom(v);
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                    if (!string(kv.getKey()).startsWith("corrupt/")) {
                        return true;
                    }
                    first[0] = k;
                    first[1] = kv.toBuilder().setValue(bytes("changed behind raft's back")).build().toByteArray();
                    return false;
                });
            }
            assertTrue(first[0] != null, "no key to change");
            try (WriteTx tx = b.beginWrite()) {
                tx.put("key", first[0], first[1]);
                tx.commit();
            }
        }
    }
}
