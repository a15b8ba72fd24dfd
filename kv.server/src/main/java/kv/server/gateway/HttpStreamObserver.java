package kv.server.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.stub.ServerCallStreamObserver;
import java.nio.charset.StandardCharsets;
import kv.server.net.HttpHandler;
import kv.server.rpc.Errors;

/**
 * The response side of a streaming gRPC method, written to an HTTP chunked response as etcd's
 * gateway does: one {@code {"result": ...}} JSON object per message, newline-terminated; an error
 * ends the stream with {@code {"error": ...}}. Flow control follows the HTTP connection.
 */
final class HttpStreamObserver<T extends Message> extends ServerCallStreamObserver<T> {
    private final HttpHandler.Stream out;
    private final JsonFormat.Printer printer;
    private volatile Runnable onCancel = () -> {};

    HttpStreamObserver(HttpHandler.Stream out, JsonFormat.Printer printer) {
        this.out = out;
        this.printer = printer;
        out.onClose(() -> onCancel.run());
    }

    @Override
    public void onNext(T value) {
        try {
            out.write(("{\"result\":" + printer.print(value) + "}\n").getBytes(StandardCharsets.UTF_8));
        } catch (InvalidProtocolBufferException e) {
            onError(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        var s = Errors.toStatus(t).getStatus();
        String msg = s.getDescription() == null ? s.getCode().name() : s.getDescription();
        String q = "\"" + msg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        out.write(("{\"error\":{\"grpc_code\":" + s.getCode().value() + ",\"http_code\":" + JsonGateway.httpStatus(s.getCode())
                + ",\"message\":" + q + ",\"http_status\":\"\"}}\n").getBytes(StandardCharsets.UTF_8));
        out.close();
    }

    @Override
    public void onCompleted() {
        out.close();
    }

    @Override
    public boolean isReady() {
        return out.writable();
    }

    @Override
    public void setOnReadyHandler(Runnable r) {
        out.onWritable(r);
    }

    @Override
    public boolean isCancelled() {
        return !out.open();
    }

    @Override
    public void setOnCancelHandler(Runnable r) {
        onCancel = r;
        if (!out.open()) {
            r.run();
        }
    }

    @Override
    public void setCompression(String compression) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}
}
