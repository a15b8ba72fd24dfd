package kv.it.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.testkit.TestServer;
import kv.testkit.TestServer.Kind;

/**
 * What every cluster contract shares: which kind of server the subclass runs, how a cluster is
 * started for it, and printing the members' logs when a test fails. Subclasses *AgainstEtcdTest
 * run Debian's etcd 3.4, *AgainstKvdTest run kvd; the test bodies are the same.
 */
abstract class ClusterContract {
    /** The server kind; an etcd subclass skips the test when etcd is not installed. */
    abstract Kind kind();

    /** kvd's --backend per member, empty for the default; the mixed-engine subclass overrides it. */
    List<String> backends(int size) {
        return List.of();
    }

    static Kind etcdIfInstalled() {
        assumeTrue(TestServer.etcdInstalled(), "Debian's etcd-server is not installed (bin/test-deps installs it)");
        return Kind.ETCD;
    }

    /** The body of a test that runs against a started cluster. */
    interface ClusterBody {
        void run(ClusterRunner cluster) throws Exception;
    }

    /** Starts a cluster, runs {@code body}, prints the members' logs and statuses if it fails, then kills them all. */
    void withCluster(Path dir, int size, long snapshotCount, ClusterBody body) throws Exception {
        ClusterRunner.Spec spec = new ClusterRunner.Spec(kind(), size, snapshotCount, backends(size));
        try (ClusterRunner cluster = ClusterRunner.start(spec, dir)) {
            try {
                body.run(cluster);
            } catch (Throwable t) {
                System.out.println("cluster test failed: " + t + "\nstatuses: " + cluster.statuses());
                cluster.printLogs();
                throw t;
            }
        }
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static String string(ByteString b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    /** A put straight to one member with a deadline: the revision it created, or the gRPC error. */
    static long put(ManagedChannel ch, String key, String value, Duration deadline) {
        return KVGrpc.newBlockingStub(ch).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build()).getHeader().getRevision();
    }

    /** A range over {@code prefix} on one member, serializable (local) or linearizable. */
    static RangeResponse range(ManagedChannel ch, String prefix, boolean serializable, Duration deadline) {
        return KVGrpc.newBlockingStub(ch).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .range(RangeRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(bytes(prefixEnd(prefix)))
                        .setSerializable(serializable).build());
    }

    static String prefixEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }

    /** Whether an error is what a client of a member without quorum sees: a timeout or "unavailable". */
    static boolean noQuorumError(Throwable t) {
        Throwable c = t;
        while (c != null && !(c instanceof StatusRuntimeException)) {
            c = c.getCause();
        }
        if (c == null) {
            return t instanceof TimeoutException;
        }
        Status status = ((StatusRuntimeException) c).getStatus();
        String message = String.valueOf(status.getDescription());
        // etcd hands the client's deadline to its own context and reports the context's error as UNKNOWN
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED, UNAVAILABLE -> true;
            case UNKNOWN -> message.contains("deadline exceeded") || message.contains("timed out");
            default -> false;
        };
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
