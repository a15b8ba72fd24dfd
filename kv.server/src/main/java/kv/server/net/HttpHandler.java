package kv.server.net;

/**
 * Answers the plain HTTP/1.1 requests that arrive on a client URL next to gRPC: health, version,
 * metrics, and the JSON gateway. Called on a Netty event loop: must not block for long (hand slow
 * work to another executor and complete the future from there).
 */
public interface HttpHandler {
    /** An HTTP request with its whole body. */
    record Request(String method, String path, String query, byte[] body) {}

    /**
     * An HTTP response: a whole body, or (when {@code stream} is set) a chunked body that the
     * producer writes through a {@link Stream} until it closes it or the client goes away.
     */
    record Response(int status, String contentType, byte[] body, java.util.function.Consumer<Stream> stream) {
        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }

        /** A streamed 200 response of newline-delimited JSON, produced by {@code producer}. */
        public static Response jsonStream(java.util.function.Consumer<Stream> producer) {
            return new Response(200, "application/json", new byte[0], producer);
        }

        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public static Response json(int status, String json) {
            return new Response(status, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Where a streamed response's chunks go. Thread-safe. */
    interface Stream {
        /** Sends one chunk; ignored once the stream is closed. */
        void write(byte[] chunk);

        /** Whether the client is still there and the stream not closed. */
        boolean open();

        /** Whether the connection can take more now (false: wait for {@link #onWritable}). */
        boolean writable();

        /** Runs {@code r} when the connection becomes writable again. */
        void onWritable(Runnable r);

        /** Runs {@code r} once when the client goes away or the stream is closed. */
        void onClose(Runnable r);

        /** Ends the response. */
        void close();
    }

    java.util.concurrent.CompletionStage<Response> handle(Request request);
}
