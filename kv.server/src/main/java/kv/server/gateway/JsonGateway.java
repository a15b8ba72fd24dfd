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
import java.util.function.Supplier;
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    public JsonGateway(KvService kv, LeaseService lease, MaintenanceService maintenance, ClusterService cluster) {
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

    /** Whether {@code path} is one of the gateway's. */
    public boolean handles(String path) {
        return routes.containsKey(path);
    }

    public CompletionStage<HttpHandler.Response> handle(HttpHandler.Request req) {
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
