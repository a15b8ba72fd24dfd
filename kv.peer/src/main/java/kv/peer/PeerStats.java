package kv.peer;

/**
 * Counters of a {@link PeerTransport} (messages and batches sent, messages dropped) or of a
 * {@link PeerServer} (messages and batches received, messages refused), since it started. A
 * snapshot value; {@code batches} below {@code messages} shows that messages travel batched.
 *
 * @param messages raft messages sent or received
 * @param batches  gRPC frames (batches) carrying them
 * @param dropped  messages dropped by a full queue or a broken stream (transport), or refused (server)
 */
public record PeerStats(long messages, long batches, long dropped) {}
