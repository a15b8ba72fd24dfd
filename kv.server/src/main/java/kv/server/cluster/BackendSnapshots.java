package kv.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import kv.backend.Backend;
import kv.backend.BackendSnapshot;
import kv.peer.SnapshotData;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.SnapshotMetadata;

/**
 * The backend data that travels with a raft snapshot, as etcd sends its db file: the leader streams
 * its whole backend (consistent, as of one read transaction; its applied index is inside, at or past
 * the raft snapshot's) and the follower keeps it in the snap directory, durable before raft sees the
 * snapshot message, until the apply thread has restored the store from it. A file is named by the
 * raft snapshot's term and index, so a member that crashed in between finds it again at start.
 */
public final class BackendSnapshots implements SnapshotData {
    private static final System.Logger LOG = System.getLogger(BackendSnapshots.class.getName());
    private final Backend backend;
    private final Path snapDir;
    private final java.util.function.LongConsumer received;

    /** {@code received} is told the sender of each snapshot kept (for etcd's snapshot metrics). */
    public BackendSnapshots(Backend backend, Path snapDir, java.util.function.LongConsumer received) {
        this.backend = backend;
        this.snapDir = snapDir;
        this.received = received;
    }

    @Override
    public void writeTo(Message msgSnap, OutputStream out) throws IOException {
        BackendSnapshot.write(backend, out);
    }

    @Override
    public void receive(Message msgSnap, InputStream data) throws IOException {
        Path target = file(msgSnap.getSnapshot().getMetadata());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.createDirectories(snapDir);
        long n;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            n = data.transferTo(out);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(snapDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
        received.accept(msgSnap.getFrom());
        LOG.log(System.Logger.Level.INFO, "received the backend of raft snapshot {0} ({1} bytes) from {2}",
                msgSnap.getSnapshot().getMetadata().getIndex(), n, Long.toHexString(msgSnap.getFrom()));
    }

    /** The received backend data of the raft snapshot at {@code meta}, if it is here. */
    public Optional<Path> received(SnapshotMetadata meta) {
        Path p = file(meta);
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /** Drops received data the store no longer needs (restored and synced, or superseded). */
    public void discardUpTo(long index) {
        try (var files = Files.list(snapDir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".backend") && indexOf(p) <= index).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot delete " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + snapDir + ": " + e.getMessage());
        }
    }

    private Path file(SnapshotMetadata meta) {
        return snapDir.resolve(String.format("%016x-%016x.backend", meta.getTerm(), meta.getIndex()));
    }

    private static long indexOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseUnsignedLong(n.substring(17, 33), 16);
    }
}
