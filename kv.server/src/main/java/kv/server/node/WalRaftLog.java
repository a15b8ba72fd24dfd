package kv.server.node;

import java.util.List;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Snapshot;
import kv.wal.SnapshotPosition;
import kv.wal.Snapshotter;
import kv.wal.Wal;

/**
 * Raft's durable state in kv.wal: entries and hard state in the WAL, snapshot metadata in snapshot
 * files beside it. A snapshot file is written before the WAL records the snapshot, so a WAL mark
 * always has its file (etcd's order).
 */
final class WalRaftLog implements DurableRaftLog {
    private final Wal wal;
    private final Snapshotter snapshots;

    WalRaftLog(Wal wal, Snapshotter snapshots) {
        this.wal = wal;
        this.snapshots = snapshots;
    }

    @Override
    public void save(HardState hardState, List<Entry> entries, boolean sync) {
        if (entries.isEmpty() && hardState.equals(HardState.getDefaultInstance())) {
            return;
        }
        wal.save(hardState, entries, sync);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        snapshots.save(snapshot);
        wal.saveSnapshot(new SnapshotPosition(snapshot.getMetadata().getIndex(), snapshot.getMetadata().getTerm()));
    }

    @Override
    public void releaseTo(long index) {
        wal.release(index);
    }

    @Override
    public void close() {
        wal.close();
    }
}
