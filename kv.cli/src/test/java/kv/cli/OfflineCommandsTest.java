package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import kv.admin.DataDir;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendHash;
import kv.backend.BackendLocator;
import kv.backend.BackendSnapshot;
import kv.backend.WriteTx;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeType;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.HardState;
import kv.wal.ByteSize;
import kv.wal.SnapshotPosition;
import kv.wal.Wal;
import kv.wal.WalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The offline group against real data directories made here: a jbolt backend with MVCC-shaped
 * buckets, its engine record, and a WAL written with kv.wal. Each error case must fail with a
 * non-zero status and exactly one {@code Error:} line.
 */
class OfflineCommandsTest {
    private static final int KEYS = 300;
    private static final long MEMBER = 0x8e9e05c52164694dL;
    private static final long CLUSTER = 0xcdf818194e3a8c32L;

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {
        void ok() {
            assertEquals(0, status, "stdout:\n" + out + "\nstderr:\n" + err);
        }

        /** Failed with {@code status} and a single "Error: ..." line containing {@code text}. */
        void failsWith(int expected, String text) {
            assertEquals(expected, status, "stdout:\n" + out + "\nstderr:\n" + err);
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.size(), err);
            assertTrue(lines.getFirst().startsWith("Error: ") && lines.getFirst().contains(text), err);
            assertFalse(err.contains("Exception"), err);
        }
    }

    static Run kvctl(boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), terminal);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run kvctl(String... args) {
        return kvctl(false, args);
    }

    /** A stopped member's data directory on jbolt: KEYS revisions in "key", a "meta" bucket, a WAL of three entries. */
    private DataDir member() throws IOException {
        DataDir d = new DataDir(tmp.resolve("data"));
        d.record("jbolt");
        Files.createDirectories(d.backend("jbolt"));
        try (Backend b = open(d.backend("jbolt"))) {
            fill(b);
        }
        ByteString meta = ByteString.copyFrom(new byte[] {0x08}).concat(varint(MEMBER)).concat(ByteString.copyFrom(new byte[] {0x10}))
                .concat(varint(CLUSTER));
        try (Wal w = Wal.create(WalConfig.of(d.wal()).withSegmentSize(ByteSize.ofKibibytes(64)), meta)) {
            ConfChange cc = ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_ADD_NODE).setNodeId(MEMBER).build();
            w.save(HardState.newBuilder().setTerm(2).setVote(MEMBER).setCommit(3).build(), List.of(
                    Entry.newBuilder().setTerm(1).setIndex(1).setType(EntryType.ENTRY_CONF_CHANGE).setData(cc.toByteString()).build(),
                    Entry.newBuilder().setTerm(2).setIndex(2).build(),
                    Entry.newBuilder().setTerm(2).setIndex(3).setData(ByteString.copyFromUtf8("\u0001\u0002put foo=bar, a longer request")).build()),
                    true);
        }
        return d;
    }

    private static ByteString varint(long v) {
        ByteString.Output o = ByteString.newOutput();
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
        return o.toByteString();
    }

    private static Backend open(Path dir) throws IOException {
        return BackendLocator.builtIn().find("jbolt").open(BackendConfig.of(dir));
    }

    private static void fill(Backend b) {
        try (WriteTx tx = b.beginWrite()) {
            tx.createBucket("key");
            tx.createBucket("meta");
            for (int i = 1; i <= KEYS; i++) {
                byte[] rev = ByteBuffer.allocate(17).putLong(i).put((byte) '_').putLong(0).array();
                tx.put("key", rev, ("value-" + i).repeat(10).getBytes(StandardCharsets.UTF_8));
            }
            tx.put("meta", "consistent_index".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 0, 0, 0, 0, 0, 3});
            tx.commit();
        }
    }

    private static String hashkv(DataDir d) {
        Run r = kvctl("hashkv", "--data-dir", d.root().toString());
        r.ok();
        return r.out().strip();
    }

    @Test
    void migrateRoundTripKeepsTheHashAndDrawsProgressOnATerminal() throws IOException {
        DataDir d = member();
        String before = hashkv(d);
        assertTrue(before.matches("[0-9a-f]{64}, 2, " + (KEYS + 1)), before);

        Run toRocks = kvctl(true, "migrate", "--data-dir", d.root().toString(), "--to", "rocksdb");
        toRocks.ok();
        assertTrue(toRocks.err().contains("Migrating [") && toRocks.err().contains("100%"), toRocks.err());
        assertTrue(toRocks.out().contains("from \"jbolt\" to \"rocksdb\""), toRocks.out());
        assertTrue(toRocks.out().contains("entries: " + (KEYS + 1) + " in 2 buckets"), toRocks.out());
        assertTrue(toRocks.out().contains("hash:    sha256 " + before.substring(0, 64)), toRocks.out());
        assertTrue(toRocks.out().contains("time:    "), toRocks.out());
        assertEquals("rocksdb", d.recordedEngine().orElseThrow());
        assertFalse(Files.exists(d.backend("jbolt")));
        assertEquals(before, hashkv(d));

        Run back = kvctl("migrate", "--data-dir", d.root().toString(), "--to", "jbolt", "--keep-source");
        back.ok();
        assertEquals("", back.err(), "no progress when standard error is not a terminal");
        assertTrue(back.out().contains("kept in"), back.out());
        assertTrue(Files.isDirectory(d.backend("rocksdb")));
        assertEquals("jbolt", d.recordedEngine().orElseThrow());
        assertEquals(before, hashkv(d));
    }

    @Test
    void migrateRefusesAMissingDirAnUnknownEngineAndARunningMember() throws IOException {
        kvctl("migrate", "--data-dir", tmp.resolve("absent").toString(), "--to", "rocksdb").failsWith(1, "does not exist");
        DataDir d = member();
        kvctl("migrate", "--data-dir", d.root().toString(), "--to", "nope").failsWith(1, "unknown backend \"nope\"");
        kvctl("migrate", "--data-dir", d.root().toString(), "--to", "jbolt").failsWith(1, "already runs on \"jbolt\"");
        try (FileChannel ch = FileChannel.open(d.wal().resolve("wal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            kvctl("migrate", "--data-dir", d.root().toString(), "--to", "rocksdb").failsWith(1, "appears to be running");
            kvctl("hashkv", "--data-dir", d.root().toString()).failsWith(1, "appears to be running");
        }
        assertEquals("jbolt", d.recordedEngine().orElseThrow());
        kvctl("migrate", "--data-dir", d.root().toString()).failsWith(1, "--to");
    }

    @Test
    void hashkvMatchesTheBackendHash() throws IOException {
        DataDir d = member();
        BackendHash h;
        try (Backend b = open(d.backend("jbolt"))) {
            h = BackendHash.of(b);
        }
        assertEquals(h.sha256() + ", " + h.buckets() + ", " + h.entries(), hashkv(d));
        kvctl("hashkv", "--data-dir", tmp.resolve("absent").toString()).failsWith(1, "does not exist");
    }

    @Test
    void walDumpPrintsMetadataHardStateAndEntriesAndLeavesTheLogAlone() throws IOException {
        DataDir d = member();
        Path segment;
        try (var s = Files.list(d.wal())) {
            segment = s.filter(p -> p.getFileName().toString().endsWith(".wal")).findFirst().orElseThrow();
        }
        byte[] segmentBefore = Files.readAllBytes(segment);
        Run r = kvctl("wal", "dump", "--data-dir", d.root().toString());
        r.ok();
        String out = r.out();
        assertTrue(out.contains("nodeID=8e9e05c52164694d clusterID=cdf818194e3a8c32"), out);
        assertTrue(out.contains("term=2 vote=8e9e05c52164694d commitIndex=3"), out);
        assertTrue(out.contains("lastIndex=3"), out);
        assertTrue(out.matches("(?s).*\\n   1\\t         1\\tconf\\tmethod=CONF_CHANGE_ADD_NODE id=8e9e05c52164694d\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n   2\\t         2\\tnorm\\t\\n.*"), out);
        assertTrue(out.contains("\tnorm\t31 bytes: 010270757420666f6f3d6261722c2061..."), out);
        assertTrue(out.contains("Entry count: 3") && out.contains("Torn tail: none"), out);
        assertTrue(out.startsWith("Snapshot:\nempty\n"), out);
        assertTrue(java.util.Arrays.equals(segmentBefore, Files.readAllBytes(segment)), "the dump changed the segment");

        Run byWalDir = kvctl("wal", "dump", "--wal-dir", d.wal().toString());
        byWalDir.ok();
        assertTrue(byWalDir.out().startsWith("WAL metadata:"), byWalDir.out());
    }

    @Test
    void walDumpReportsATornTailWithoutCuttingIt() throws IOException {
        DataDir d = member();
        Path segment;
        try (var s = Files.list(d.wal())) {
            segment = s.filter(p -> p.getFileName().toString().endsWith(".wal")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        int at = (end + 7) / 8 * 8;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("half-written batch".getBytes(StandardCharsets.US_ASCII)), at);
        }
        byte[] torn = Files.readAllBytes(segment);
        Run r = kvctl("wal", "dump", "--wal-dir", d.wal().toString());
        r.ok();
        assertTrue(r.out().contains("Entry count: 3"), r.out());
        assertTrue(r.out().matches("(?s).*Torn tail: \\d+ bytes at offset \\d+ of " + java.util.regex.Pattern.quote(segment.toString()) + ".*"), r.out());
        assertTrue(java.util.Arrays.equals(torn, Files.readAllBytes(segment)), "the dump cut the member's tail");
    }

    @Test
    void walDumpRefusesALockedLogAndAMissingOne() throws IOException {
        DataDir d = member();
        try (Wal w = Wal.open(WalConfig.of(d.wal()), SnapshotPosition.ZERO)) {
            kvctl("wal", "dump", "--data-dir", d.root().toString()).failsWith(1, "is locked");
        }
        kvctl("wal", "dump", "--wal-dir", tmp.resolve("absent").toString()).failsWith(1, "file not found");
        kvctl("wal", "dump").failsWith(128, "exactly one of --data-dir and --wal-dir");
    }

    @Test
    void jboltCheckAndStats() throws IOException {
        DataDir d = member();
        Path file = d.backend("jbolt").resolve("jbolt.db");
        Run check = kvctl("jbolt", "check", file.toString());
        check.ok();
        assertEquals("OK\n", check.out());
        Run stats = kvctl("jbolt", "stats", d.backend("jbolt").toString());
        stats.ok();
        assertTrue(stats.out().contains("Keys: " + (KEYS + 1)) && stats.out().contains("Buckets: 2")
                && stats.out().contains("Page size: 4096"), stats.out());
        try (Backend running = open(d.backend("jbolt"))) {
            kvctl("jbolt", "check", file.toString()).failsWith(1, "already open");
        }
        kvctl("jbolt", "stats", tmp.resolve("absent.db").toString()).failsWith(1, "does not exist");
        assertFalse(Files.exists(tmp.resolve("absent.db")), "an inspection must not create the file");
        kvctl("jbolt", "check").failsWith(128, "expects one argument");
    }

    @Test
    void backendListShowsEveryEngineWithItsOrigin() {
        Run r = kvctl("backend", "list");
        r.ok();
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("jbolt, 1.0, ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("rocksdb, ")), r.out());
        kvctl("backend", "list", "--plugin-dir", tmp.resolve("absent").toString()).failsWith(1, "does not exist");
        kvctl("backend", "list", "-w", "json").failsWith(4, "json not supported as output format");
    }

    /** The file kvd's snapshot RPC sends: stream, zeros to a 4096 multiple, SHA-256 of all that. */
    private Path snapshotFile(Backend b) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        BackendSnapshot.write(b, stream);
        int pad = (4096 - stream.size() % 4096) % 4096;
        stream.write(new byte[pad]);
        byte[] body = stream.toByteArray();
        Path f = tmp.resolve("backup.db");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(body);
            out.write(MessageDigest.getInstance("SHA-256").digest(body));
        }
        return f;
    }

    @Test
    void snapshotStatusVerifiesAndSummarizes() throws Exception {
        DataDir d = member();
        Path f;
        BackendHash h;
        try (Backend b = open(d.backend("jbolt"))) {
            f = snapshotFile(b);
            h = BackendHash.of(b);
        }
        Run simple = kvctl("snapshot", "status", f.toString());
        simple.ok();
        assertEquals(h.sha256() + ", " + KEYS + ", " + (KEYS + 1) + ", " + kv.cli.output.GoText.humanBytes(Files.size(f)) + "\n", simple.out());
        Run table = kvctl("snapshot", "status", f.toString(), "-w", "table");
        table.ok();
        assertTrue(table.out().contains(" HASH ") && table.out().contains("| REVISION | TOTAL KEYS | TOTAL SIZE |"), table.out());
        Run json = kvctl("snapshot", "status", f.toString(), "-w", "json");
        json.ok();
        assertTrue(json.out().contains("\"revision\":" + KEYS + ",\"totalKey\":" + (KEYS + 1)), json.out());
    }

    @Test
    void snapshotStatusRefusesCorruptFiles() throws Exception {
        DataDir d = member();
        Path f;
        try (Backend b = open(d.backend("jbolt"))) {
            f = snapshotFile(b);
        }
        byte[] good = Files.readAllBytes(f);
        byte[] flipped = good.clone();
        flipped[100] ^= 1;
        Files.write(f, flipped);
        kvctl("snapshot", "status", f.toString()).failsWith(1, "sha256 mismatch");

        // a consistent checksum over a damaged stream: the stream's own checks catch it
        byte[] body = java.util.Arrays.copyOf(flipped, flipped.length - 32);
        Files.write(f, body);
        Files.write(f, MessageDigest.getInstance("SHA-256").digest(body), StandardOpenOption.APPEND);
        kvctl("snapshot", "status", f.toString()).failsWith(1, "is corrupt");

        Files.write(f, new byte[10]);
        kvctl("snapshot", "status", f.toString()).failsWith(1, "too small");
        kvctl("snapshot", "status", tmp.resolve("absent.db").toString()).failsWith(1, "no such file");
        kvctl("snapshot", "status").failsWith(128, "exactly one argument");
    }

    @ParameterizedTest
    @ValueSource(strings = {"migrate --help", "hashkv --help", "wal dump --help", "jbolt check --help", "jbolt stats --help",
            "backend list --help", "snapshot status --help", "snapshot restore --help"})
    void offlineHelpIsAManPage(String args) {
        Run r = kvctl(args.split(" "));
        r.ok();
        for (String section : new String[] {"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXAMPLES"}) {
            assertTrue(r.out().contains("\n" + section + "\n") || r.out().startsWith(section + "\n"), section + " missing in:\n" + r.out());
        }
        assertEquals(1, r.out().lines().filter("NAME"::equals).count(), r.out());
    }

    @Test
    void rootHelpListsTheOfflineGroupAndWhatIsNotInThisBuild() {
        Run r = kvctl("--help");
        r.ok();
        assertTrue(r.out().contains("OFFLINE COMMANDS") && r.out().contains("NOT IN THIS BUILD") && r.out().contains("snapshot restore FILE"), r.out());
        for (String c : new String[] {"migrate", "hashkv", "wal", "jbolt", "backend"}) {
            assertTrue(r.out().contains("\n  " + c + " "), c + " missing in:\n" + r.out());
        }
    }
}
