package kv.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import kv.raft.raftpb.Message;

/**
 * The backend data that travels with a raft snapshot; implemented by kvd. Raft's MsgSnap carries
 * only the snapshot metadata (and the membership); the key-value data is streamed beside it.
 *
 * <p>Called on transport threads (a sender thread per outgoing snapshot, a receiver thread per
 * incoming one), never on the raft thread; implementations must be thread-safe. Neither stream may
 * be kept after the method returns; the transport closes them.
 */
public interface SnapshotData {
    /**
     * Sender side: writes the backend data belonging to {@code msgSnap}'s snapshot to {@code out}.
     * The data is streamed in chunks as it is written; it need not fit in memory.
     */
    void writeTo(Message msgSnap, OutputStream out) throws IOException;

    /**
     * Receiver side: stores the backend data read from {@code data} (until end of stream) and
     * returns only once it is durable. After it returns, the MsgSnap is handed to
     * {@link RaftHandler#receive}; if it throws, the sender is told the snapshot failed.
     */
    void receive(Message msgSnap, InputStream data) throws IOException;
}
