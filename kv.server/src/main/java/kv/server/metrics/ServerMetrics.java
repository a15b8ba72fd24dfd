package kv.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.DoubleSupplier;

/**
 * kvd's metrics, with etcd's names where the meaning is the same so that existing dashboards and
 * alerts work: {@code etcd_server_has_leader}, {@code etcd_disk_wal_fsync_duration_seconds},
 * {@code etcd_mvcc_db_total_size_in_bytes}, ... plus the JVM's. Rendered in Prometheus' text format
 * at {@code /metrics}. Thread-safe.
 */
public final class ServerMetrics {
    /** etcd's buckets for disk latencies: 1 ms to about 8 s, doubling. */
    private static final double[] DISK_BUCKETS = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram walFsync;
    private final Counter leaderChanges;
    private final Counter proposalsCommitted;
    private final Counter proposalsApplied;
    private final Counter proposalsFailed;
    private final Counter snapshotsReceived;

    public ServerMetrics() {
        walFsync = Histogram.builder().name("etcd_disk_wal_fsync_duration_seconds")
                .help("The latency distributions of fsync called by WAL.").classicUpperBounds(DISK_BUCKETS).register(registry);
        leaderChanges = Counter.builder().name("etcd_server_leader_changes_seen_total")
                .help("The number of leader changes seen.").register(registry);
        proposalsCommitted = Counter.builder().name("etcd_server_proposals_committed_total")
                .help("The total number of consensus proposals committed.").register(registry);
        proposalsApplied = Counter.builder().name("etcd_server_proposals_applied_total")
                .help("The total number of consensus proposals applied.").register(registry);
        proposalsFailed = Counter.builder().name("etcd_server_proposals_failed_total")
                .help("The total number of failed proposals seen.").register(registry);
        snapshotsReceived = Counter.builder().name("etcd_network_snapshot_receive_success").labelNames("From")
                .help("Total number of successful snapshot receives").register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** A gauge read when scraped. */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    public void walFsync(long nanos) {
        walFsync.observe(nanos / 1e9);
    }

    public void leaderChanged() {
        leaderChanges.inc();
    }

    public void committed(int n) {
        proposalsCommitted.inc(n);
    }

    public void applied(int n) {
        proposalsApplied.inc(n);
    }

    /** A snapshot (raft metadata and backend) from member {@code from} arrived whole and durable. */
    public void snapshotReceived(long from) {
        snapshotsReceived.labelValues(Long.toHexString(from)).inc();
    }

    public void proposalFailed() {
        proposalsFailed.inc();
    }

    /** The whole registry in Prometheus' text exposition format. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
