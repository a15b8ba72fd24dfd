package kv.server.metrics;

import kv.server.node.NodeObserver;

/** Feeds what the raft node reports into {@link ServerMetrics}. */
public record MetricsObserver(ServerMetrics metrics) implements NodeObserver {
    @Override
    public void leaderChanged(long newLeader) {
        metrics.leaderChanged();
    }

    @Override
    public void committed(int entries) {
        metrics.committed(entries);
    }

    @Override
    public void applied(int entries) {
        metrics.applied(entries);
    }

    @Override
    public void walSaved(boolean synced, long nanos) {
        if (synced) {
            metrics.walFsync(nanos);
        }
    }
}
