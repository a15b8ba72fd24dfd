package kv.server.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import kv.api.etcdserverpb.LeaseKeepAliveRequest;
import kv.api.etcdserverpb.WatchRequest;
import kv.server.rpc.WatchService;
import kv.api.etcdserverpb.AlarmRequest;
import kv.api.etcdserverpb.CompactionRequest;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.HashKVRequest;
import kv.api.etcdserverpb.LeaseGrantRequest;
import kv.api.etcdserverpb.LeaseLeasesRequest;
import kv.api.etcdserverpb.LeaseRevokeRequest;
import kv.api.etcdserverpb.LeaseTimeToLiveRequest;
import kv.api.etcdserverpb.MemberListRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.StatusRequest;
import kv.api.etcdserverpb.TxnRequest;
import kv.server.net.HttpHandler;
import kv.server.rpc.ClusterService;
import kv.server.rpc.Errors;
import kv.server.rpc.KvService;
import kv.server.rpc.LeaseService;
import kv.server.rpc.MaintenanceService;

/**
 * etcd's JSON gateway ({@code POST /v3/...}): each path maps to one unary gRPC method, called
 * in-process on the same service objects gRPC clients reach, so validation and errors are
 * identical. JSON follows grpc-gateway as etcd configures it: proto field names, 64-bit integers as
 * strings, bytes as base64, unknown fields ignored; errors are {@code {"error","message","code"}}
 * with grpc-gateway's HTTP status for the gRPC code.
 */
public final class JsonGateway {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

    private record Route(Supplier<Message.Builder> request, BiConsumer<Message, StreamObserver<Message>> call) {}

    private final Map<String, Route> routes;
    private final WatchService watch;
    private final LeaseService lease;

    @SuppressWarnings({"unchecked", "rawtypes"})
    public JsonGateway(KvService kv, WatchService watch, LeaseService lease, MaintenanceService maintenance, ClusterService cluster) {
        this.watch = watch;
        this.lease = lease;
        routes = Map.ofEntries(
                Map.entry("/v3/kv/range", new Route(RangeRequest::newBuilder, (r, o) -> kv.range((RangeRequest) r, (StreamObserver) o))),
                Map.entry("/v3/kv/put", new Route(PutRequest::newBuilder, (r, o) -> kv.put((PutRequest) r, (StreamObserver) o))),
                Map.entry("/v3/kv/deleterange", new Route(DeleteRangeRequest::newBuilder, (r, o) -> kv.deleteRange((DeleteRangeRequest) r, (StreamObserver) o))),
                Map.entry("/v3/kv/txn", new Route(TxnRequest::newBuilder, (r, o) -> kv.txn((TxnRequest) r, (StreamObserver) o))),
                Map.entry("/v3/kv/compaction", new Route(CompactionRequest::newBuilder, (r, o) -> kv.compact((CompactionRequest) r, (StreamObserver) o))),
                Map.entry("/v3/lease/grant", new Route(LeaseGrantRequest::newBuilder, (r, o) -> lease.leaseGrant((LeaseGrantRequest) r, (StreamObserver) o))),
                Map.entry("/v3/lease/revoke", new Route(LeaseRevokeRequest::newBuilder, (r, o) -> lease.leaseRevoke((LeaseRevokeRequest) r, (StreamObserver) o))),
                Map.entry("/v3/kv/lease/revoke", new Route(LeaseRevokeRequest::newBuilder, (r, o) -> lease.leaseRevoke((LeaseRevokeRequest) r, (StreamObserver) o))),
                Map.entry("/v3/lease/timetolive", new Route(LeaseTimeToLiveRequest::newBuilder, (r, o) -> lease.leaseTimeToLive((LeaseTimeToLiveRequest) r, (StreamObserver) o))),
                Map.entry("/v3/kv/lease/timetolive", new Route(LeaseTimeToLiveRequest::newBuilder, (r, o) -> lease.leaseTimeToLive((LeaseTimeToLiveRequest) r, (StreamObserver) o))),
                Map.entry("/v3/lease/leases", new Route(LeaseLeasesRequest::newBuilder, (r, o) -> lease.leaseLeases((LeaseLeasesRequest) r, (StreamObserver) o))),
                Map.entry("/v3/kv/lease/leases", new Route(LeaseLeasesRequest::newBuilder, (r, o) -> lease.leaseLeases((LeaseLeasesRequest) r, (StreamObserver) o))),
                Map.entry("/v3/maintenance/status", new Route(StatusRequest::newBuilder, (r, o) -> maintenance.status((StatusRequest) r, (StreamObserver) o))),
                Map.entry("/v3/maintenance/hashkv", new Route(HashKVRequest::newBuilder, (r, o) -> maintenance.hashKV((HashKVRequest) r, (StreamObserver) o))),
                Map.entry("/v3/maintenance/alarm", new Route(AlarmRequest::newBuilder, (r, o) -> maintenance.alarm((AlarmRequest) r, (StreamObserver) o))),
                Map.entry("/v3/cluster/member/list", new Route(MemberListRequest::newBuilder, (r, o) -> cluster.memberList((MemberListRequest) r, (StreamObserver) o))));
    }

    public CompletionStage<HttpHandler.Response> handle(HttpHandler.Request req) {
        if (req.path().equals("/v3/watch")) {
            return streaming(req, WatchRequest::newBuilder, watch::watch);
        }
        if (req.path().equals("/v3/lease/keepalive")) {
            return streaming(req, LeaseKeepAliveRequest::newBuilder, lease::leaseKeepAlive);
        }
        Route route = routes.get(req.path());
        if (route == null) {
            return done(HttpHandler.Response.text(404, "Not Found\n"));
        }
        if (!req.method().equals("POST")) {
            return done(HttpHandler.Response.text(405, "Method Not Allowed\n"));
        }
        Message.Builder b = route.request().get();
        try {
            String body = new String(req.body(), StandardCharsets.UTF_8);
            if (!body.isBlank()) {
                PARSER.merge(body, b);
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return done(error(Status.INVALID_ARGUMENT.withDescription(firstLine(e.getMessage())).asRuntimeException()));
        }
        CompletableFuture<HttpHandler.Response> res = new CompletableFuture<>();
        route.call().accept(b.build(), new StreamObserver<>() {
            @Override
            public void onNext(Message m) {
                try {
                    res.complete(HttpHandler.Response.json(200, PRINTER.print(m)));
                } catch (InvalidProtocolBufferException e) {
                    res.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                res.complete(error(Errors.toStatus(t)));
            }

            @Override
            public void onCompleted() {}
        });
        return res;
    }

    /**
     * A bidirectional gRPC method over HTTP: the body holds one or more JSON requests (one after the
     * other), the response streams one JSON object per message until the client disconnects.
     */
    @SuppressWarnings("unchecked")
    private <Q extends Message, R extends Message> CompletionStage<HttpHandler.Response> streaming(
            HttpHandler.Request req, Supplier<Message.Builder> builder, Function<StreamObserver<R>, StreamObserver<Q>> method) {
        if (!req.method().equals("POST")) {
            return done(HttpHandler.Response.text(405, "Method Not Allowed\n"));
        }
        java.util.List<Q> requests = new java.util.ArrayList<>();
        try {
            for (String json : objects(new String(req.body(), StandardCharsets.UTF_8))) {
                Message.Builder b = builder.get();
                PARSER.merge(json, b);
                requests.add((Q) b.build());
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return done(error(Status.INVALID_ARGUMENT.withDescription(firstLine(e.getMessage())).asRuntimeException()));
        }
        return done(HttpHandler.Response.jsonStream(out -> {
            StreamObserver<Q> in = method.apply(new HttpStreamObserver<>(out, PRINTER));
            requests.forEach(in::onNext);
            out.onClose(() -> in.onError(Status.CANCELLED.asRuntimeException()));
        }));
    }

    /** Splits a body of concatenated JSON objects ({@code {...}{...}}, any whitespace between). */
    static java.util.List<String> objects(String body) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                if (depth++ == 0) {
                    start = i;
                }
            } else if (c == '}') {
                if (--depth == 0) {
                    out.add(body.substring(start, i + 1));
                } else if (depth < 0) {
                    throw new IllegalArgumentException("unexpected }");
                }
            } else if (depth == 0 && !Character.isWhitespace(c)) {
                throw new IllegalArgumentException("invalid character '" + c + "' looking for beginning of value");
            }
        }
        if (depth != 0 || inString) {
            throw new IllegalArgumentException("unexpected EOF");
        }
        return out;
    }

    private static CompletionStage<HttpHandler.Response> done(HttpHandler.Response r) {
        return CompletableFuture.completedFuture(r);
    }

    /** grpc-gateway's error body and HTTP status for a gRPC status. */
    static HttpHandler.Response error(StatusRuntimeException e) {
        Status s = e.getStatus();
        String msg = s.getDescription() == null ? s.getCode().name() : s.getDescription();
        String quoted = "\"" + msg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return HttpHandler.Response.json(httpStatus(s.getCode()),
                "{\"error\":" + quoted + ",\"message\":" + quoted + ",\"code\":" + s.getCode().value() + "}");
    }

    static int httpStatus(Status.Code c) {
        return switch (c) {
            case OK -> 200;
            case CANCELLED -> 408;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }

    /** What etcd's Go decoder would say; Java's parser messages name Java exceptions. */
    private static String firstLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        if (s.contains("End of input") || s.contains("EOFException")) {
            return "unexpected EOF";
        }
        return s.lines().findFirst().orElse(s);
    }
}
