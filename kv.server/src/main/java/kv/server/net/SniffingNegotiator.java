package kv.server.net;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Serves gRPC and plain HTTP/1.1 on the same port, as etcd does on its client URLs: the first bytes
 * of a connection decide. An HTTP/2 connection preface ({@code PRI * HTTP/2.0}) goes to gRPC;
 * anything else is treated as HTTP/1.1 and answered by an {@link HttpHandler} (health, version,
 * metrics, the JSON gateway). The gRPC path is unchanged after the first read: no extra hop.
 */
final class SniffingNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf PREFACE_BUF = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(PREFACE));

    private final InternalProtocolNegotiator.ProtocolNegotiator grpc = InternalProtocolNegotiators.serverPlaintext();
    private final HttpHandler http;
    private final int maxHttpBody;

    SniffingNegotiator(HttpHandler http, int maxHttpBody) {
        this.http = http;
        this.maxHttpBody = maxHttpBody;
    }

    @Override
    public AsciiString scheme() {
        return grpc.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Sniffer(grpc.newHandler(grpcHandler));
    }

    @Override
    public void close() {
        grpc.close();
    }

    /** Waits for enough bytes to tell the protocols apart, then replaces itself. */
    private final class Sniffer extends ByteToMessageDecoder {
        private final ChannelHandler grpcHandler;
        private Object pendingEvent;

        Sniffer(ChannelHandler grpcHandler) {
            this.grpcHandler = grpcHandler;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            // gRPC's negotiation event must reach gRPC's handler, which is not in the pipeline yet:
            // hold it until we know this is gRPC; for HTTP/1.1 it is not needed.
            if (evt.getClass().getName().endsWith("ProtocolNegotiationEvent")) {
                pendingEvent = evt;
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int n = Math.min(in.readableBytes(), PREFACE.length);
            boolean prefixMatches = ByteBufUtil.equals(in, in.readerIndex(), PREFACE_BUF, 0, n);
            if (prefixMatches && n < PREFACE.length) {
                return; // could still be HTTP/2: wait for more bytes
            }
            if (prefixMatches) {
                // gRPC's negotiation handler goes right after this one and gets the held event first;
                // removing this decoder then hands it the bytes read so far.
                ctx.pipeline().addAfter(ctx.name(), "grpc-negotiation", grpcHandler);
                if (pendingEvent != null) {
                    ctx.fireUserEventTriggered(pendingEvent);
                    pendingEvent = null;
                }
                ctx.pipeline().remove(this);
            } else {
                ctx.pipeline().addAfter(ctx.name(), "http-codec", new HttpServerCodec());
                ctx.pipeline().addAfter("http-codec", "http-aggregator", new HttpObjectAggregator(maxHttpBody));
                ctx.pipeline().addAfter("http-aggregator", "http-handler", new Http1Handler(http));
                ctx.pipeline().remove(this);
            }
        }
    }
}
