package kv.server.node;

import java.util.List;
import kv.raft.raftpb.Message;

/**
 * Carries raft messages to the other members. {@link #send} must not block the raft thread for
 * long: an implementation queues per peer and drops (reporting the peer unreachable) when a queue
 * is full, as raft tolerates lost messages.
 */
public interface Transport extends AutoCloseable {
    void send(List<Message> messages);

    @Override
    void close();
}
