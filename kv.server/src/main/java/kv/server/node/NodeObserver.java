package kv.server.node;

/** What the raft node reports as it runs (for metrics); called on the raft and apply threads, must be quick. */
public interface NodeObserver {
    void leaderChanged(long newLeader);

    void committed(int entries);

    void applied(int entries);

    /** A durable write of the WAL (with fsync when {@code synced}) took {@code nanos}. */
    void walSaved(boolean synced, long nanos);

    NodeObserver NONE = new NodeObserver() {
        @Override
        public void leaderChanged(long newLeader) {}

        @Override
        public void committed(int entries) {}

        @Override
        public void applied(int entries) {}

        @Override
        public void walSaved(boolean synced, long nanos) {}
    };
}
