package kv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.admin.DataDir;
import kv.admin.cluster.MemberRecords;
import kv.admin.clusterpb.Member;
import kv.admin.clusterpb.WalMetadata;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.BackendSnapshot;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Snapshot;
import kv.wal.SnapshotPosition;
import kv.wal.Snapshotter;
import kv.wal.Wal;
import kv.wal.WalConfig;
import kv.wal.WalContents;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kvctl snapshot restore} round trip: a snapshot file made from a backend with known keys
 * (as kvd's snapshot RPC streams it) is restored, then the data directory is opened with kv.admin,
 * kv.backend and kv.wal and checked piece by piece. Flag refusals are compared with etcdctl 3.4's.
 */
class SnapshotRestoreCommandTest {
    private static final Map<String, String> KEYS = new TreeMap<>(Map.of("a", "1", "b", "two", "c/d", "x".repeat(5000)));
    private static final String CLUSTER = "m1=http://127.0.0.1:12380,m2=http://127.0.0.1:22380,m3=http://127.0.0.1:32380";

    @TempDir
    Path tmp;

    private Path snapshotFile() throws Exception {
        try (Backend b = BackendLocator.builtIn().find("jbolt").open(BackendConfig.of(tmp.resolve("src")))) {
            try (WriteTx tx = b.beginWrite()) {
                tx.createBucket("key");
                KEYS.forEach((k, v) -> tx.put("key", utf8(k), utf8(v)));
                tx.commit();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BackendSnapshot.write(b, out);
            out.write(new byte[(4096 - out.size() % 4096) % 4096]);
            out.write(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
            Path f = tmp.resolve("backup.db");
            Files.write(f, out.toByteArray());
            return f;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jbolt", "rocksdb"})
    void restoresAMemberOfANewClusterOnTheChosenEngine(String engine) throws Exception {
        Path file = snapshotFile();
        Path dataDir = tmp.resolve("m2.kv");
        OfflineCommandsTest.Run r = OfflineCommandsTest.kvctl("snapshot", "restore", file.toString(), "--data-dir", dataDir.toString(),
                "--name", "m2", "--initial-cluster", CLUSTER, "--initial-cluster-token", "tok",
                "--initial-advertise-peer-urls", "http://127.0.0.1:22380", "--backend", engine);
        r.ok();
        assertEquals("", r.out(), "etcdctl prints nothing on standard output");
        assertTrue(r.err().startsWith("restored snapshot " + file + " to " + dataDir + " (engine " + engine + ", member "), r.err());

        DataDir d = new DataDir(dataDir);
        assertEquals(engine, d.recordedEngine().orElseThrow());
        List<Member> members;
        try (Backend b = BackendLocator.builtIn().find(engine).open(BackendConfig.of(d.backend(engine))); ReadTx tx = b.beginRead()) {
            KEYS.forEach((k, v) -> assertArrayEquals(utf8(v), tx.get("key", utf8(k)), k));
            members = MemberRecords.list(tx);
            assertEquals(3, ByteBuffer.wrap(tx.get("meta", utf8("consistent_index"))).getLong());
        }
        assertEquals(List.of("m1", "m2", "m3"), members.stream().map(Member::getName).sorted().toList());
        long self = members.stream().filter(m -> m.getName().equals("m2")).findFirst().orElseThrow().getId();
        assertTrue(r.err().contains("member " + Long.toHexString(self) + " of cluster "), r.err());

        Snapshot snap = new Snapshotter(d.snap()).loadNewest().snapshot().orElseThrow();
        assertEquals(3, snap.getMetadata().getIndex());
        assertEquals(1, snap.getMetadata().getTerm());
        assertEquals(members.stream().map(Member::getId).sorted().toList(), snap.getMetadata().getConfState().getVotersList().stream().sorted().toList());
        try (Wal wal = Wal.open(WalConfig.of(d.wal()), new SnapshotPosition(3, 1))) {
            WalContents c = wal.readAll();
            assertEquals(self, WalMetadata.parseFrom(c.metadata()).getMemberId());
            assertEquals(HardState.newBuilder().setTerm(1).setCommit(3).build(), c.hardState());
        }
    }

    @Test
    void defaultsRestoreIntoDefaultEtcdAsEtcdctlDoes() throws Exception {
        Path file = snapshotFile();
        Path cwdRelative = Path.of("default.etcd");
        Assumptions.assumeFalse(Files.exists(cwdRelative), "default.etcd already exists in the working directory");
        try {
            OfflineCommandsTest.kvctl("snapshot", "restore", file.toString()).ok();
            assertEquals("jbolt", new DataDir(cwdRelative).recordedEngine().orElseThrow());
            assertTrue(Wal.exists(new DataDir(cwdRelative).wal()));
            OfflineCommandsTest.kvctl("snapshot", "restore", file.toString()).failsWith(1, "data-dir \"default.etcd\" exists");
        } finally {
            TempTree.delete(cwdRelative);
        }
    }

    @Test
    void aDamagedFileIsRefusedAndNothingIsLeft() throws Exception {
        Path file = snapshotFile();
        byte[] b = Files.readAllBytes(file);
        b[b.length - 1] ^= 1;
        Files.write(file, b);
        Path dataDir = tmp.resolve("r");
        OfflineCommandsTest.kvctl("snapshot", "restore", file.toString(), "--data-dir", dataDir.toString())
                .failsWith(1, "snapshot file " + file + " integrity check failed: expected sha256 [");
        assertFalse(Files.exists(dataDir));
        OfflineCommandsTest.kvctl("snapshot", "restore", file.toString(), "--data-dir", dataDir.toString(), "--skip-hash-check").ok();
        OfflineCommandsTest.kvctl("snapshot", "restore", file.toString(), "--data-dir", tmp.resolve("x").toString(), "--backend", "nosuch")
                .failsWith(1, "unknown backend \"nosuch\"");
    }

    /** Refusals before the file is read: etcdctl's exit status and error line, whatever the file holds. */
    @ParameterizedTest
    @ValueSource(strings = {"--name x", "--initial-advertise-peer-urls http://127.0.0.1:9",
            "--initial-cluster default=ftp://x", "--initial-cluster default=http://x:1,b=http://x:1 --initial-advertise-peer-urls http://x:1",
            "--initial-cluster default=http://localhost:2380,b=http://h:1 --initial-advertise-peer-urls http://localhost:2380,http://z:3",
            "--initial-cluster default=http://x --initial-advertise-peer-urls http://x", "EXISTING", "MISSING", "NOARGS", "--no-such-flag"})
    void refusesAsEtcdctlDoes(String flags) throws Exception {
        Assumptions.assumeTrue(EtcdCluster.onPath("etcdctl").isPresent(), "etcdctl is not installed");
        Path file = snapshotFile();
        Files.createDirectories(tmp.resolve("existing"));
        List<String> args = new java.util.ArrayList<>(List.of("snapshot", "restore"));
        switch (flags) {
            case "EXISTING" -> args.addAll(List.of(file.toString(), "--data-dir", tmp.resolve("existing").toString()));
            case "MISSING" -> args.addAll(List.of(tmp.resolve("missing.db").toString(), "--data-dir", tmp.resolve("new").toString()));
            case "NOARGS" -> { }
            default -> {
                args.addAll(List.of(file.toString(), "--data-dir", tmp.resolve("new").toString()));
                args.addAll(List.of(flags.split(" ")));
            }
        }
        EtcdCluster.Run etcdctl = EtcdCluster.etcdctlRaw("", args.toArray(String[]::new));
        EtcdCluster.Run kvctl = EtcdCluster.kvctlRaw("", Map.of(), args.toArray(String[]::new));
        assertEquals(etcdctl.status(), kvctl.status(), "exit status\n" + etcdctl + "\n" + kvctl);
        assertEquals(EtcdctlParityTest.errorLine(etcdctl.err()), EtcdctlParityTest.errorLine(kvctl.err()));
        assertFalse(Files.exists(tmp.resolve("new")));
    }
}
