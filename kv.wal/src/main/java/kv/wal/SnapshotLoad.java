package kv.wal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kv.raft.raftpb.Snapshot;

/**
 * The result of {@link Snapshotter#loadNewest}: the newest valid snapshot, and the newer files that
 * were skipped because they failed their checks.
 *
 * @param snapshot the newest snapshot file that passed its checks, if any
 * @param file     the file it was read from, present exactly when {@code snapshot} is
 * @param corrupt  files newer than it that were skipped as corrupt, newest first
 */
public record SnapshotLoad(Optional<Snapshot> snapshot, Optional<Path> file, List<Path> corrupt) {
    public SnapshotLoad {
        corrupt = List.copyOf(corrupt);
    }
}
