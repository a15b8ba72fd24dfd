package kv.server.net;

/**
 * Answers the plain HTTP/1.1 requests that arrive on a client URL next to gRPC: health, version,
 * metrics, and the JSON gateway. Called on a Netty event loop: must not block for long (hand slow
 * work to another executor and complete the future from there).
 */
public interface HttpHandler {
    /** An HTTP request with its whole body. */
    record Request(String method, String path, String query, byte[] body) {}

    /** An HTTP response. */
    record Response(int status, String contentType, byte[] body) {
        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public static Response json(int status, String json) {
            return new Response(status, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    java.util.concurrent.CompletionStage<Response> handle(Request request);
}
