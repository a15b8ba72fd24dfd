package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import kv.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain-HTTP side of a client URL: etcd's JSON gateway and health endpoint, checked the same way
 * against real etcd and against kvd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayContract {
    private final HttpClient http = HttpClient.newHttpClient();
    private TestServer server;

    abstract TestServer startServer(Path dir) throws IOException;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = startServer(dir);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void putThenRangeInJsonWithStringNumbersAndBase64() throws Exception {
        HttpResponse<String> put = post("/v3/kv/put", "{\"key\":\"Z3cvYQ==\",\"value\":\"MQ==\"}");
        assertEquals(200, put.statusCode(), put.body());
        assertTrue(put.body().matches("\\{\"header\":\\{\"cluster_id\":\"\\d+\",\"member_id\":\"\\d+\",\"revision\":\"\\d+\",\"raft_term\":\"\\d+\"}}"), put.body());
        HttpResponse<String> range = post("/v3/kv/range", "{\"key\":\"Z3cvYQ==\",\"unknown_field\":1}");
        assertEquals(200, range.statusCode());
        assertTrue(range.body().contains("\"kvs\":[{\"key\":\"Z3cvYQ==\",\"create_revision\":\""), range.body());
        assertTrue(range.body().contains("\"value\":\"MQ==\"}],\"count\":\"1\"}"), range.body());
    }

    @Test
    void errorsCarryEtcdsMessageAndGrpcGatewaysStatus() throws Exception {
        HttpResponse<String> noKey = post("/v3/kv/put", "{\"value\":\"MQ==\"}");
        assertEquals(400, noKey.statusCode());
        assertEquals("{\"error\":\"etcdserver: key is not provided\",\"message\":\"etcdserver: key is not provided\",\"code\":3}", noKey.body());
        HttpResponse<String> future = post("/v3/kv/range", "{\"key\":\"eA==\",\"revision\":\"99999999\"}");
        assertEquals(400, future.statusCode());
        assertTrue(future.body().endsWith("\"code\":11}"), future.body());
        HttpResponse<String> malformed = post("/v3/kv/range", "{\"key\":");
        assertEquals(400, malformed.statusCode());
        assertEquals("{\"error\":\"unexpected EOF\",\"message\":\"unexpected EOF\",\"code\":3}", malformed.body());
    }

    @Test
    void wrongMethodAndUnknownPath() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/v3/kv/range")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals(404, post("/v3/no/such/thing", "{}").statusCode());
    }

    @Test
    void leaseGrantAndStatus() throws Exception {
        HttpResponse<String> grant = post("/v3/lease/grant", "{\"TTL\":30}");
        assertEquals(200, grant.statusCode());
        assertTrue(grant.body().matches(".*\"ID\":\"\\d+\",\"TTL\":\"30\"}"), grant.body());
        HttpResponse<String> status = post("/v3/maintenance/status", "{}");
        assertEquals(200, status.statusCode());
        assertTrue(status.body().contains("\"dbSize\":\""), status.body());
        assertTrue(status.body().contains("\"raftAppliedIndex\":\""), status.body());
    }

    @Test
    void watchStreamsCreatedThenEvents() throws Exception {
        var req = HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/v3/watch"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"create_request\":{\"key\":\"Z3cvdw==\"}}")).build();
        var lines = new java.util.concurrent.LinkedBlockingQueue<String>();
        var call = http.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                lines.add(line);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {}
        }));
        try {
            String created = lines.poll(15, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(created != null && created.startsWith("{\"result\":{\"header\":") && created.endsWith("\"created\":true}}"), String.valueOf(created));
            post("/v3/kv/put", "{\"key\":\"Z3cvdw==\",\"value\":\"dg==\"}");
            String event = lines.poll(15, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(event != null && event.contains("\"events\":[{\"kv\":{\"key\":\"Z3cvdw==\"") && event.contains("\"value\":\"dg==\""),
                    String.valueOf(event));
        } finally {
            call.cancel(true);
        }
    }

    @Test
    void healthIsTrueWithALeader() throws Exception {
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, h.statusCode());
        assertTrue(h.body().startsWith("{\"health\":\"true\""), h.body());
    }
}
