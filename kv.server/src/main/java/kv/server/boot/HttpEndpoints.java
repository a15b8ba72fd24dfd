package kv.server.boot;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import kv.api.KvVersion;
import kv.api.etcdserverpb.RangeRequest;
import kv.server.core.Member;
import kv.server.gateway.JsonGateway;
import kv.server.metrics.ServerMetrics;
import kv.server.net.HttpHandler;

/**
 * The plain-HTTP endpoints on a client URL, answered as etcd answers them: {@code /version},
 * {@code /metrics}, {@code /health} (healthy when a linearizable read succeeds: there is a leader and a quorum),
 * {@code /livez} and {@code /readyz}.
 */
final class HttpEndpoints implements HttpHandler {
    private final Member member;
    private final ServerMetrics metrics;
    private final JsonGateway gateway;

    HttpEndpoints(Member member, ServerMetrics metrics, JsonGateway gateway) {
        this.member = member;
        this.metrics = metrics;
        this.gateway = gateway;
    }

    @Override
    public CompletionStage<Response> handle(Request r) {
        return switch (r.path()) {
            case "/version" -> CompletableFuture.completedFuture(Response.json(200,
                    "{\"etcdserver\":\"" + KvVersion.ETCD_SERVER + "\",\"etcdcluster\":\"" + clusterVersion() + "\",\"kv\":\"" + KvVersion.KV + "\"}"));
            case "/metrics" -> CompletableFuture.completedFuture(
                    new Response(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            case "/livez" -> CompletableFuture.completedFuture(Response.text(200, "ok"));
            case "/health", "/readyz" -> health(r.path().equals("/readyz"));
            default -> r.path().startsWith("/v3/") ? gateway.handle(r)
                    : CompletableFuture.completedFuture(Response.text(404, "404 page not found\n"));
        };
    }

    private static String clusterVersion() {
        String v = KvVersion.ETCD_SERVER;
        return v.substring(0, v.lastIndexOf('.')) + ".0";
    }

    private CompletionStage<Response> health(boolean plain) {
        RangeRequest probe = RangeRequest.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("health")).build();
        return member.range(probe).handle((ok, err) -> {
            if (plain) {
                return err == null ? Response.text(200, "ok") : Response.text(503, "not ready: " + err.getMessage());
            }
            return err == null ? Response.json(200, "{\"health\":\"true\",\"reason\":\"\"}")
                    : Response.json(503, "{\"health\":\"false\",\"reason\":\"" + String.valueOf(err.getMessage()).replace("\"", "'") + "\"}");
        });
    }
}
