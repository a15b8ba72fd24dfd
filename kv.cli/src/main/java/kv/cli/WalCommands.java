package kv.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Snapshot;
import kv.wal.SnapshotLoad;
import kv.wal.SnapshotPosition;
import kv.wal.Snapshotter;
import kv.wal.Wal;
import kv.wal.WalConfig;
import kv.wal.WalContents;
import kv.wal.WalException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kvctl wal dump}: etcd-dump-logs for kv's WAL, read from a copy so the member's files never change. */
final class WalCommands {
    private static final int PREVIEW = 16;

    private WalCommands() {}

    @Command(name = "wal", description = "Inspects a stopped member's write-ahead log", subcommands = Dump.class,
            footer = {"  kvctl wal dump --data-dir /var/lib/kv", "  kvctl wal dump --wal-dir /var/lib/kv/member/wal"})
    static final class Group implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "dump", description = {"Prints a stopped member's WAL: metadata, hard state and entries",
            "Like etcd-dump-logs: the newest snapshot file (with --data-dir), the WAL's metadata (member and cluster id),",
            "its hard state (term, vote, commit), then one line per entry from the oldest snapshot position the log",
            "still records: term, index, type and a short decode of the data (conf changes in full, normal entries as",
            "their size and first bytes in hex; an empty normal entry is a new leader's). Last, the torn tail a crash",
            "left after the last intact record, if any. The log is read from a copy in a temporary directory (as big",
            "as the WAL), so nothing of the member changes, not even the torn-tail cut kvd does at start. Refused",
            "while the WAL is locked (kvd running)."},
            customSynopsis = "kvctl wal dump (--data-dir <dir> | --wal-dir <dir>)",
            footer = {"  kvctl wal dump --data-dir /var/lib/kv", "  kvctl wal dump --wal-dir /var/lib/kv/member/wal | grep conf"})
    static final class Dump extends CliCommand {
        @Option(names = "--data-dir", description = "the member's data directory (its WAL is member/wal, snapshots member/snap)")
        Path dataDir;

        @Option(names = "--wal-dir", description = "the WAL directory itself (no snapshot file is shown)")
        Path walDir;

        @Override
        void run() throws IOException {
            if (!args.isEmpty()) {
                throw CliException.badArgs("wal dump command accepts no arguments");
            }
            if ((dataDir == null) == (walDir == null)) {
                throw CliException.badArgs("wal dump needs exactly one of --data-dir and --wal-dir");
            }
            OfflineCommands.textOnly(this);
            Path wal = walDir != null ? walDir : dataDir.resolve("member").resolve("wal");
            if (!Files.isDirectory(wal)) {
                throw new CliException(ExitCode.ERROR, "wal: file not found: " + wal + " does not exist");
            }
            if (dataDir != null) {
                snapshot(dataDir.resolve("member").resolve("snap"));
            }
            Path copy = Files.createTempDirectory("kvctl-wal-dump-");
            try {
                copyLocked(wal, copy);
                dump(wal, copy);
            } catch (WalException e) {
                throw OfflineCommands.failed(e);
            } finally {
                TempTree.delete(copy);
            }
        }

        private void snapshot(Path snapDir) {
            SnapshotLoad load = new Snapshotter(snapDir).loadNewest();
            printer().line("Snapshot:");
            load.corrupt().forEach(f -> printer().line("corrupt snapshot file skipped: " + f));
            if (load.snapshot().isEmpty()) {
                printer().line("empty");
                return;
            }
            Snapshot s = load.snapshot().get();
            var m = s.getMetadata();
            printer().line("term=" + m.getTerm() + " index=" + m.getIndex() + " voters=" + hexIds(m.getConfState().getVotersList())
                    + " learners=" + hexIds(m.getConfState().getLearnersList()) + " data=" + s.getData().size() + " bytes (" + load.file().get() + ")");
        }

        /** Copies the segments while holding the WAL lock, so that kvd cannot start (and write) meanwhile. */
        private static void copyLocked(Path wal, Path copy) throws IOException {
            Path lockFile = wal.resolve("wal.lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = tryLock(ch);
                if (lock == null) {
                    throw new CliException(ExitCode.ERROR, "wal: " + wal + " is locked (lock file " + lockFile
                            + "): the member appears to be running: stop kvd first");
                }
                try (Stream<Path> files = Files.list(wal)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String name = f.getFileName().toString();
                        if (!name.equals("wal.lock") && !name.endsWith(".tmp")) {
                            Files.copy(f, copy.resolve(name));
                        }
                    }
                } finally {
                    lock.release();
                }
            }
        }

        private static FileLock tryLock(FileChannel ch) throws IOException {
            try {
                return ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return null; // a member running in this JVM
            }
        }

        private void dump(Path original, Path copy) {
            // the size only governs preallocation for appends, which a dump never makes: keep the spare segment small
            WalConfig config = WalConfig.of(copy).withSegmentSize(WalConfig.MIN_SEGMENT_SIZE);
            List<SnapshotPosition> positions = Wal.snapshotPositions(config);
            SnapshotPosition from = positions.isEmpty() ? SnapshotPosition.ZERO : positions.getFirst();
            WalContents c;
            try (Wal w = Wal.open(config, from)) {
                c = w.readAll();
            }
            printer().line("WAL metadata:");
            printer().line(metadata(c.metadata()));
            HardState hs = c.hardState();
            printer().line("term=" + hs.getTerm() + " vote=" + Long.toHexString(hs.getVote()) + " commitIndex=" + hs.getCommit());
            printer().line("WAL entries (from snapshot position term=" + from.term() + " index=" + from.index() + "):");
            printer().line("lastIndex=" + c.lastIndex(from.index()));
            printer().line(String.format("%4s\t%10s\ttype\tdata", "term", "index"));
            for (Entry e : c.entries()) {
                printer().line(String.format("%4d\t%10d\t%s\t%s", e.getTerm(), e.getIndex(), type(e), data(e)));
            }
            printer().line("Entry count: " + c.entries().size());
            printer().line(c.tornTail().map(t -> "Torn tail: " + t.length() + " bytes at offset " + t.offset() + " of "
                    + original.resolve(t.file().getFileName()) + " (kvd cuts it at start; left in place here)").orElse("Torn tail: none"));
        }
    }

    /** kvd's metadata is a protobuf of member id (field 1) and cluster id (field 2); anything else is shown raw. */
    static String metadata(ByteString meta) {
        try {
            UnknownFieldSet f = UnknownFieldSet.parseFrom(meta);
            if (f.asMap().keySet().stream().allMatch(n -> n == 1 || n == 2) && f.asMap().values().stream().allMatch(v -> v.getVarintList().size() <= 1)) {
                return "nodeID=" + Long.toHexString(varint(f, 1)) + " clusterID=" + Long.toHexString(varint(f, 2));
            }
        } catch (InvalidProtocolBufferException e) {
            // not a protobuf: shown raw below
        }
        return "metadata=" + meta.size() + " bytes: " + preview(meta);
    }

    private static long varint(UnknownFieldSet f, int number) {
        return f.hasField(number) && !f.getField(number).getVarintList().isEmpty() ? f.getField(number).getVarintList().getFirst() : 0;
    }

    static String type(Entry e) {
        return switch (e.getType()) {
            case ENTRY_NORMAL -> "norm";
            case ENTRY_CONF_CHANGE -> "conf";
            case ENTRY_CONF_CHANGE_V2 -> "conf2";
            case UNRECOGNIZED -> "type" + e.getTypeValue();
        };
    }

    static String data(Entry e) {
        try {
            return switch (e.getType()) {
                case ENTRY_NORMAL -> e.getData().isEmpty() ? "" : e.getData().size() + " bytes: " + preview(e.getData());
                case ENTRY_CONF_CHANGE -> {
                    ConfChange cc = ConfChange.parseFrom(e.getData());
                    yield "method=" + cc.getType().name() + " id=" + Long.toHexString(cc.getNodeId());
                }
                case ENTRY_CONF_CHANGE_V2 -> {
                    ConfChangeV2 cc = ConfChangeV2.parseFrom(e.getData());
                    StringBuilder sb = new StringBuilder("transition=" + cc.getTransition().name());
                    for (ConfChangeSingle s : cc.getChangesList()) {
                        sb.append(' ').append(s.getType().name()).append(" id=").append(Long.toHexString(s.getNodeId()));
                    }
                    yield sb.toString();
                }
                case UNRECOGNIZED -> e.getData().size() + " bytes: " + preview(e.getData());
            };
        } catch (InvalidProtocolBufferException x) {
            return "undecodable " + e.getData().size() + " bytes: " + preview(e.getData());
        }
    }

    private static String preview(ByteString b) {
        String hex = HexFormat.of().formatHex(b.substring(0, Math.min(PREVIEW, b.size())).toByteArray());
        return b.size() > PREVIEW ? hex + "..." : hex;
    }

    private static String hexIds(List<Long> ids) {
        return ids.stream().map(Long::toHexString).toList().toString();
    }
}
