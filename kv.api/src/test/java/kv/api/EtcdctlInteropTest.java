package kv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.StatusRequest;
import kv.api.etcdserverpb.StatusResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An unmodified etcdctl (Debian's 3.4 build, etcd's own Go client and protobuf code) calls a server
 * built on kv's stubs: if a name, number or type differed, the calls or the decoding would fail.
 * Skipped where etcdctl is not installed (bin/test installs it).
 */
class EtcdctlInteropTest {
    private static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");

    @BeforeAll
    static void needsEtcdctl() {
        assumeTrue(Files.isExecutable(ETCDCTL), "etcdctl is not installed");
    }

    @Test
    void putThenGetGoThroughOurService() throws Exception {
        FakeKv kv = new FakeKv();
        try (LoopbackServer server = new LoopbackServer(kv)) {
            assertEquals("OK", etcdctl(server, "put", "greeting", "hello world").strip());
            assertEquals("greeting\nhello world", etcdctl(server, "get", "greeting").strip());
            assertEquals("", etcdctl(server, "get", "missing").strip());

            PutRequest put = (PutRequest) kv.requests().getFirst();
            assertEquals(ByteString.copyFromUtf8("greeting"), put.getKey());
            assertEquals(ByteString.copyFromUtf8("hello world"), put.getValue());
            RangeRequest get = (RangeRequest) kv.requests().get(1);
            assertEquals(ByteString.copyFromUtf8("greeting"), get.getKey());
            assertTrue(get.getRangeEnd().isEmpty());
        }
    }

    @Test
    void prefixGetSendsRangeEndAndPrintsEveryKey() throws Exception {
        FakeKv kv = new FakeKv();
        try (LoopbackServer server = new LoopbackServer(kv)) {
            etcdctl(server, "put", "b", "2");
            etcdctl(server, "put", "a", "1");
            assertEquals("a\n1\nb\n2", etcdctl(server, "get", "--prefix", "").strip());
            RangeRequest last = (RangeRequest) kv.requests().getLast();
            assertEquals(ByteString.copyFrom(new byte[] {0}), last.getRangeEnd(), "etcdctl's range_end for the empty prefix");
            assertEquals("2", etcdctl(server, "get", "--print-value-only", "b").strip());
        }
    }

    @Test
    void endpointStatusDecodesOurStatusResponse() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FixedStatus())) {
            String json = etcdctl(server, "endpoint", "status", "-w", "json");
            assertTrue(json.contains("\"version\":\"3.5.0\""), json);
            assertTrue(json.contains("\"dbSize\":12345"), json);
            assertTrue(json.contains("\"raftAppliedIndex\":41"), json);
            assertTrue(json.contains("\"dbSizeInUse\":2345"), json);
        }
    }

    private static String etcdctl(LoopbackServer server, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints=127.0.0.1:" + server.port(),
                "--dial-timeout=5s", "--command-timeout=10s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "etcdctl hung");
            String text = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), () -> "etcdctl " + String.join(" ", args) + " failed:\n" + text);
            return text;
        } finally {
            p.destroyForcibly();
        }
    }

    private static final class FixedStatus extends MaintenanceGrpc.MaintenanceImplBase {
        @Override
        public void status(StatusRequest req, StreamObserver<StatusResponse> out) {
            out.onNext(StatusResponse.newBuilder()
                    .setHeader(ResponseHeader.newBuilder().setClusterId(FakeKv.CLUSTER_ID).setMemberId(9).setRevision(3).setRaftTerm(2))
                    .setVersion("3.5.0").setDbSize(12345).setLeader(9).setRaftIndex(42).setRaftTerm(2)
                    .setRaftAppliedIndex(41).setDbSizeInUse(2345).build());
            out.onCompleted();
        }
    }
}
