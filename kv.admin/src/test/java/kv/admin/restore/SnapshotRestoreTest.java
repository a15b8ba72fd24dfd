package kv.admin.restore;

import static kv.admin.restore.SnapshotFiles.utf8;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import kv.admin.DataDir;
import kv.admin.cluster.MemberIds;
import kv.admin.cluster.MemberRecords;
import kv.admin.clusterpb.Member;
import kv.admin.clusterpb.WalMetadata;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.ReadTx;
import kv.raft.MemoryStorage;
import kv.raft.RaftConfig;
import kv.raft.RawNode;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Snapshot;
import kv.wal.SnapshotPosition;
import kv.wal.Snapshotter;
import kv.wal.Wal;
import kv.wal.WalConfig;
import kv.wal.WalContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotRestoreTest {
    private static final String CLUSTER = "a=http://127.0.0.1:12380,b=http://127.0.0.1:22380,c=http://127.0.0.1:32380";
    private static final Map<String, String> KEYS = new TreeMap<>(Map.of("foo", "bar", "k1", "v1", "zz", "last"));

    @TempDir Path tmp;
    private final SnapshotRestore restore = new SnapshotRestore(BackendLocator.builtIn());

    private Path snapshot() throws Exception {
        return SnapshotFiles.write(tmp.resolve("src"), tmp.resolve("backup.db"), KEYS);
    }

    private RestoreSpec spec(Path file, String dataDir, String walDir, boolean skip, String engine) {
        return RestoreSpec.fromFlags(file, tmp.resolve(dataDir).toString(), walDir == null ? null : tmp.resolve(walDir).toString(), "b",
                CLUSTER, "tok", "http://127.0.0.1:22380", skip, engine);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jbolt", "rocksdb", "lmdb"})
    void restoredDirectoryHoldsTheKeysTheNewMembersAndTheRaftState(String engine) throws Exception {
        RestoreSpec spec = spec(snapshot(), "b.etcd", null, false, engine);
        List<Long> progress = new ArrayList<>();
        SnapshotRestore.Result r = restore.restore(spec, progress::add);

        long idA = MemberIds.memberId(List.of(URI.create("http://127.0.0.1:12380")), "tok");
        long idB = MemberIds.memberId(List.of(URI.create("http://127.0.0.1:22380")), "tok");
        long idC = MemberIds.memberId(List.of(URI.create("http://127.0.0.1:32380")), "tok");
        long cluster = MemberIds.clusterId(List.of(idA, idB, idC));
        assertEquals(idB, r.memberId());
        assertEquals(cluster, r.clusterId());
        assertEquals(3, r.index());
        assertFalse(progress.isEmpty());
        assertEquals(Files.size(spec.snapshot()) - 32, progress.getLast(), "the restore pass reads up to the checksum");

        DataDir dir = new DataDir(tmp.resolve("b.etcd"));
        assertEquals(engine, dir.recordedEngine().orElseThrow());
        try (Backend b = BackendLocator.builtIn().find(engine).open(BackendConfig.of(dir.backend(engine)));
             ReadTx tx = b.beginRead()) {
            KEYS.forEach((k, v) -> assertArrayEquals(utf8(v), tx.get("key", utf8(k)), k));
            List<Member> members = MemberRecords.list(tx);
            assertEquals(Map.of(idA, "a", idB, "b", idC, "c"), toMap(members));
            for (Member m : members) {
                assertEquals(1, m.getPeerUrlsCount());
                assertEquals(0, m.getClientUrlsCount());
                assertFalse(m.getIsLearner());
            }
            assertTrue(MemberRecords.removed(tx).isEmpty(), "the old cluster's removals are forgotten");
            assertEquals(3, ByteBuffer.wrap(tx.get("meta", utf8("consistent_index"))).getLong());
        }

        Snapshot snap = new Snapshotter(dir.snap()).loadNewest().snapshot().orElseThrow();
        assertEquals(3, snap.getMetadata().getIndex());
        assertEquals(1, snap.getMetadata().getTerm());
        assertEquals(List.of(idA, idB, idC).stream().sorted().toList(), snap.getMetadata().getConfState().getVotersList().stream().sorted().toList());
        assertEquals(List.of(new SnapshotPosition(3, 1)), Wal.snapshotPositions(WalConfig.of(dir.wal())).stream()
                .filter(p -> p.index() > 0).toList());
        try (Wal wal = Wal.open(WalConfig.of(dir.wal()), new SnapshotPosition(3, 1))) {
            WalContents c = wal.readAll();
            WalMetadata meta = WalMetadata.parseFrom(c.metadata());
            assertEquals(idB, meta.getMemberId());
            assertEquals(cluster, meta.getClusterId());
            assertEquals(HardState.newBuilder().setTerm(1).setCommit(3).build(), c.hardState());
            assertTrue(c.entries().isEmpty());
        }
    }

    private static Map<Long, String> toMap(List<Member> members) {
        Map<Long, String> m = new java.util.HashMap<>();
        members.forEach(x -> m.put(x.getId(), x.getName()));
        return m;
    }

    /** What kvd's raft bootstrap does on restart: a single member elects itself and commits past the snapshot. */
    @Test
    void raftRestartsOnTheRestoredStateAndLeads() throws Exception {
        RestoreSpec spec = RestoreSpec.fromFlags(snapshot(), tmp.resolve("one").toString(), null, "default",
                RestoreSpec.DEFAULT_INITIAL_CLUSTER, RestoreSpec.DEFAULT_TOKEN, RestoreSpec.DEFAULT_PEER_URLS, false, "jbolt");
        SnapshotRestore.Result r = restore.restore(spec, n -> {});
        assertEquals("8e9e05c52164694d", MemberIds.hex(r.memberId()), "etcd's id for default=http://localhost:2380");
        assertEquals("cdf818194e3a8c32", MemberIds.hex(r.clusterId()), "etcd's cluster id for it");
        DataDir dir = new DataDir(tmp.resolve("one"));
        Snapshot snap = new Snapshotter(dir.snap()).loadNewest().snapshot().orElseThrow();
        MemoryStorage storage = new MemoryStorage();
        storage.applySnapshot(snap);
        try (Wal wal = Wal.open(WalConfig.of(dir.wal()), new SnapshotPosition(1, 1))) {
            WalContents c = wal.readAll();
            storage.setHardState(c.hardState());
            storage.append(c.entries());
        }
        RawNode raw = new RawNode(RaftConfig.of(r.memberId(), new Random(1)).withApplied(1), storage);
        for (int i = 0; i < 40 && raw.status().lead() == 0; i++) {
            raw.tick();
            while (raw.hasReady()) {
                var rd = raw.ready();
                storage.append(rd.entries());
                raw.advance(rd);
            }
        }
        assertEquals(r.memberId(), raw.status().lead());
        assertEquals(2, raw.status().term());
    }

    @Test
    void aSeparateWalDirGetsTheWal() throws Exception {
        RestoreSpec spec = spec(snapshot(), "d", "w", false, "jbolt");
        restore.restore(spec, n -> {});
        assertTrue(Wal.exists(tmp.resolve("w")));
        assertFalse(Files.exists(new DataDir(tmp.resolve("d")).wal()));
    }

    @Test
    void anExistingDataOrWalDirIsRefused() throws Exception {
        Path file = snapshot();
        Files.createDirectories(tmp.resolve("d"));
        var e = assertThrows(RestoreException.class, () -> restore.restore(spec(file, "d", null, false, "jbolt"), n -> {}));
        assertEquals("data-dir \"" + tmp.resolve("d") + "\" exists", e.getMessage());
        Files.createDirectories(tmp.resolve("w"));
        e = assertThrows(RestoreException.class, () -> restore.restore(spec(file, "d2", "w", false, "jbolt"), n -> {}));
        assertEquals("wal-dir \"" + tmp.resolve("w") + "\" exists", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d2")));
    }

    @Test
    void aChecksumMismatchNamesTheFileAndLeavesNothing() throws Exception {
        Path file = snapshot();
        SnapshotFiles.flip(file, Files.size(file) - 1); // in the checksum: the content itself is intact
        var e = assertThrows(RestoreException.class, () -> restore.restore(spec(file, "d", null, false, "jbolt"), n -> {}));
        assertTrue(e.getMessage().startsWith("snapshot file " + file + " integrity check failed: expected sha256 ["), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d")));
        // --skip-hash-check restores it anyway, as etcd does
        restore.restore(spec(file, "d", null, true, "jbolt"), n -> {});
        assertTrue(Wal.exists(new DataDir(tmp.resolve("d")).wal()));
    }

    @Test
    void dataInThePaddingIsCorruptionEvenWithoutHashCheck() throws Exception {
        Path file = snapshot();
        SnapshotFiles.flip(file, Files.size(file) - 40);
        var e = assertThrows(RestoreException.class, () -> restore.restore(spec(file, "d", null, false, "jbolt"), n -> {}));
        assertTrue(e.getMessage().contains("integrity check failed"), e.getMessage());
        e = assertThrows(RestoreException.class, () -> restore.restore(spec(file, "d", null, true, "jbolt"), n -> {}));
        assertEquals("snapshot file " + file + " is corrupt: data after the snapshot stream", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d")));
    }

    @Test
    void aFileWithoutChecksumNeedsSkipHashCheck() throws Exception {
        Path file = snapshot();
        byte[] all = Files.readAllBytes(file);
        Path bare = tmp.resolve("bare.db");
        Files.write(bare, java.util.Arrays.copyOf(all, all.length - 32));
        var e = assertThrows(RestoreException.class, () -> restore.restore(spec(bare, "d", null, false, "jbolt"), n -> {}));
        assertEquals("snapshot missing hash but --skip-hash-check=false", e.getMessage());
        restore.restore(spec(bare, "d", null, true, "jbolt"), n -> {});
        try (Backend b = BackendLocator.builtIn().find("jbolt").open(BackendConfig.of(new DataDir(tmp.resolve("d")).backend("jbolt")));
             ReadTx tx = b.beginRead()) {
            assertArrayEquals(utf8("bar"), tx.get("key", utf8("foo")));
        }
    }

    @Test
    void aCorruptStreamUnderSkipHashCheckFailsAndLeavesNothing() throws Exception {
        Path file = snapshot();
        SnapshotFiles.flip(file, 100);
        var e = assertThrows(RestoreException.class, () -> restore.restore(spec(file, "d", "w", true, "jbolt"), n -> {}));
        assertTrue(e.getMessage().startsWith("snapshot file " + file + " is corrupt: "), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d")));
        assertFalse(Files.exists(tmp.resolve("w")));
    }

    @Test
    void anUnknownEngineOrMissingFileIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path file = snapshot();
        var e = assertThrows(RestoreException.class, () -> restore.restore(spec(file, "d", null, false, "nosuch"), n -> {}));
        assertTrue(e.getMessage().startsWith("unknown backend \"nosuch\""), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d")));
        Path missing = tmp.resolve("missing.db");
        e = assertThrows(RestoreException.class, () -> restore.restore(spec(missing, "d", null, false, "jbolt"), n -> {}));
        assertEquals("open " + missing + ": no such file or directory", e.getMessage());
    }
}
