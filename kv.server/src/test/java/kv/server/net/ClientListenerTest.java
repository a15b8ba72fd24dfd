package kv.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** gRPC and HTTP/1.1 share one port, as on etcd's client URLs. */
class ClientListenerTest {
    @Test
    void grpcAndHttpOnOnePort() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        HttpHandler http = req -> CompletableFuture.completedFuture(
                req.path().equals("/health") ? HttpHandler.Response.json(200, "{\"health\":\"true\"}") : HttpHandler.Response.text(404, "404 page not found\n"));
        var settings = new ClientListener.Settings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1 << 20,
                Duration.ofSeconds(5), Duration.ofHours(2), Duration.ofSeconds(20), java.util.Optional.empty());
        try (var exec = Executors.newVirtualThreadPerTaskExecutor();
             ClientListener l = ClientListener.start(settings, List.of(health.getHealthService().bindService()), List.of(), http, exec)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++) { // keep-alive: several requests on one connection
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + l.port() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("{\"health\":\"true\"}", r.body());
            }
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + l.port() + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());

            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", l.port()).usePlaintext().build();
            try {
                HealthCheckResponse res = HealthGrpc.newBlockingStub(ch).check(HealthCheckRequest.getDefaultInstance());
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, res.getStatus());
            } finally {
                ch.shutdownNow();
            }
        }
    }
}
