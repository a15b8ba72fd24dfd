package kv.server.net;

import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "HTTP connection closed after an error: " + cause);
        ctx.close();
    }
}
