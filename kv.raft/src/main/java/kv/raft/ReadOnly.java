package kv.raft;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.raft.raftpb.Message;

/**
 * A leader's read-index requests waiting for a quorum of heartbeat acknowledgements (SAFE mode),
 * keyed by the request context. Not thread-safe; owned by {@link Raft}.
 */
final class ReadOnly {
    record Pending(Message req, long index, Map<Long, Boolean> acks) {}

    final RaftConfig.ReadOnlyOption option;
    private final Map<ByteString, Pending> pending = new HashMap<>();
    private final ArrayDeque<ByteString> queue = new ArrayDeque<>();

    ReadOnly(RaftConfig.ReadOnlyOption option) {
        this.option = option;
    }

    void addRequest(long index, Message m) {
        ByteString ctx = m.getEntries(0).getData();
        if (pending.containsKey(ctx)) {
            return;
        }
        pending.put(ctx, new Pending(m, index, new TreeMap<>()));
        queue.addLast(ctx);
    }

    /** Records a heartbeat ack carrying ctx; returns the acks so far, or null for an unknown ctx. */
    Map<Long, Boolean> recvAck(long id, ByteString ctx) {
        Pending p = pending.get(ctx);
        if (p == null) {
            return null;
        }
        p.acks.put(id, true);
        return p.acks;
    }

    /**
     * Releases the request with ctx and every request queued before it (a quorum that confirmed a
     * later heartbeat also confirmed the earlier ones).
     */
    List<Pending> advance(ByteString ctx) {
        if (!pending.containsKey(ctx)) {
            return List.of();
        }
        List<Pending> out = new ArrayList<>();
        while (!queue.isEmpty()) {
            ByteString c = queue.pollFirst();
            out.add(pending.remove(c));
            if (c.equals(ctx)) {
                break;
            }
        }
        return out;
    }

    ByteString lastPendingRequestCtx() {
        return queue.isEmpty() ? ByteString.EMPTY : queue.peekLast();
    }
}
