package kv.server.node;

import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import kv.admin.cluster.MemberIds;
import kv.raft.MemoryStorage;
import kv.raft.RaftConfig;
import kv.raft.RawNode;
import kv.raft.raftpb.Snapshot;
import kv.admin.clusterpb.WalMetadata;
import kv.wal.SnapshotLoad;
import kv.wal.SnapshotPosition;
import kv.wal.Snapshotter;
import kv.wal.Wal;
import kv.wal.WalConfig;
import kv.wal.WalContents;

/**
 * Brings a member's raft state up: a new member creates its WAL and bootstraps the initial voters; a
 * restarting one loads its newest snapshot, replays the WAL after it into memory, and resumes with
 * the term, vote and commit it had persisted. Nothing here decides who leads: raft does, after.
 */
public final class RaftBootstrap {
    private static final System.Logger LOG = System.getLogger(RaftBootstrap.class.getName());

    /** What a started member has: ids, its raft and the storage behind it. */
    public record Started(long memberId, long clusterId, RawNode raw, MemoryStorage storage, DurableRaftLog log, boolean fresh) {}

    private RaftBootstrap() {}

    /**
     * Opens or creates the raft state in {@code walDir}/{@code snapDir}.
     *
     * @param memberId the id this member has by its flags
     * @param initialVoters the members of a cluster bootstrapped now (ignored on restart); empty for a
     *     member joining a running cluster, which learns the configuration from the leader's log
     * @param contexts one conf-change context per initial voter (the member record applied with it)
     * @param raftConfigFor the raft configuration for a member id (the WAL's on restart)
     */
    public static Started start(Path walDir, Path snapDir, long memberId, long clusterId, List<Long> initialVoters,
                         List<com.google.protobuf.ByteString> contexts, LongFunction<RaftConfig> raftConfigFor) {
        Snapshotter snapshotter = new Snapshotter(snapDir);
        WalConfig walConfig = WalConfig.of(walDir);
        if (!Wal.exists(walDir)) {
            WalMetadata meta = WalMetadata.newBuilder().setMemberId(memberId).setClusterId(clusterId).build();
            Wal wal = Wal.create(walConfig, meta.toByteString());
            MemoryStorage storage = new MemoryStorage();
            RawNode raw = new RawNode(raftConfigFor.apply(memberId), storage);
            if (initialVoters.isEmpty()) {
                LOG.log(Level.INFO, "started member {0} joining cluster {1}", MemberIds.hex(memberId), MemberIds.hex(clusterId));
            } else {
                raw.bootstrap(initialVoters, contexts);
                LOG.log(Level.INFO, "started a new member {0} of cluster {1} with voters {2}", MemberIds.hex(memberId),
                        MemberIds.hex(clusterId), initialVoters.stream().map(MemberIds::hex).toList());
            }
            return new Started(memberId, clusterId, raw, storage, new WalRaftLog(wal, snapshotter), true);
        }
        // only a snapshot the WAL recorded: a crash between saving the file and marking the WAL
        // leaves a file the log knows nothing about
        List<SnapshotPosition> recorded = Wal.snapshotPositions(walConfig);
        SnapshotLoad load = snapshotter.loadNewest(m -> recorded.contains(new SnapshotPosition(m.getIndex(), m.getTerm())));
        load.corrupt().forEach(f -> LOG.log(Level.WARNING, "skipped a corrupt snapshot file {0}", f));
        Optional<Snapshot> snap = load.snapshot();
        SnapshotPosition from = snap.map(s -> new SnapshotPosition(s.getMetadata().getIndex(), s.getMetadata().getTerm()))
                .orElse(SnapshotPosition.ZERO);
        Wal wal = Wal.open(walConfig, from);
        WalContents contents;
        try {
            contents = wal.readAll();
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
        contents.tornTail().ifPresent(t -> LOG.log(Level.WARNING, "cut a torn WAL tail: {0}", t));
        WalMetadata meta = metadata(contents);
        if (memberId != 0 && meta.getMemberId() != memberId) {
            // as etcd: on restart the WAL says who this member is; the --initial-* flags only bootstrap
            LOG.log(Level.INFO, "restarting as member {0} recorded in the WAL (the flags alone would give {1})",
                    MemberIds.hex(meta.getMemberId()), MemberIds.hex(memberId));
        }
        MemoryStorage storage = new MemoryStorage();
        snap.ifPresent(storage::applySnapshot);
        storage.setHardState(contents.hardState());
        storage.append(contents.entries());
        RaftConfig restarted = raftConfigFor.apply(meta.getMemberId()).withApplied(from.index());
        RawNode raw = new RawNode(restarted, storage);
        LOG.log(Level.INFO, "restarted member {0} at term {1}, commit {2}, last index {3}", MemberIds.hex(meta.getMemberId()),
                contents.hardState().getTerm(), contents.hardState().getCommit(), storage.lastIndex());
        return new Started(meta.getMemberId(), meta.getClusterId(), raw, storage, new WalRaftLog(wal, snapshotter), false);
    }

    private static WalMetadata metadata(WalContents contents) {
        try {
            return WalMetadata.parseFrom(contents.metadata());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the WAL's metadata record does not decode: " + e.getMessage(), e);
        }
    }
}
