package kv.server.net;

import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import java.lang.System.Logger.Level;

/** Adapts Netty's HTTP/1.1 objects to {@link HttpHandler}; keeps connections alive as HTTP/1.1 wants. */
final class Http1Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(Http1Handler.class.getName());
    private final HttpHandler handler;

    Http1Handler(HttpHandler handler) {
        this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String query = req.uri().contains("?") ? req.uri().substring(req.uri().indexOf('?') + 1) : "";
        HttpHandler.Request r = new HttpHandler.Request(req.method().name(), uri.path(), query, ByteBufUtil.getBytes(req.content()));
        handler.handle(r).whenComplete((resp, err) -> {
            HttpHandler.Response out = resp;
            if (err != null) {
                LOG.log(Level.WARNING, "HTTP " + r.method() + " " + r.path() + " failed", err);
                out = HttpHandler.Response.text(500, "internal error\n");
            }
            if (out.stream() != null) {
                stream(ctx, out);
                return;
            }
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(out.status()),
                    Unpooled.wrappedBuffer(out.body()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, out.contentType());
            HttpUtil.setContentLength(res, out.body().length);
            HttpUtil.setKeepAlive(res, keepAlive);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    /** A chunked response whose chunks the producer writes until it closes or the client leaves. */
    private void stream(ChannelHandlerContext ctx, HttpHandler.Response out) {
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(out.status()));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, out.contentType());
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        ChunkStream s = new ChunkStream(ctx);
        ctx.channel().closeFuture().addListener(f -> s.closed());
        out.stream().accept(s);
    }

    /** Writes chunks on the channel; closing sends the last chunk and closes the connection. */
    private static final class ChunkStream implements HttpHandler.Stream {
        private final ChannelHandlerContext ctx;
        private final java.util.List<Runnable> onClose = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.List<Runnable> onWritable = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean open = true;

        ChunkStream(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            ctx.pipeline().addLast(new io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext c) {
                    if (c.channel().isWritable()) {
                        onWritable.forEach(Runnable::run);
                    }
                    c.fireChannelWritabilityChanged();
                }
            });
        }

        @Override
        public void write(byte[] chunk) {
            if (open) {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            }
        }

        @Override
        public boolean open() {
            return open && ctx.channel().isActive();
        }

        @Override
        public boolean writable() {
            return ctx.channel().isWritable();
        }

        @Override
        public void onWritable(Runnable r) {
            onWritable.add(r);
        }

        @Override
        public void onClose(Runnable r) {
            onClose.add(r);
            if (!open) {
                r.run();
            }
        }

        void closed() {
            if (open) {
                open = false;
                onClose.forEach(Runnable::run);
            }
        }

        @Override
        public void close() {
            if (open) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                closed();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "HTTP connection closed after an error: " + cause);
        ctx.close();
    }
}
