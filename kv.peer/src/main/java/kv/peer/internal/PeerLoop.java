package kv.peer.internal;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The one transport thread ({@code kv-peer-io}) of a process's peer traffic: the peer server's
 * connections and the channels to the peers all run on it, apart from gRPC's shared threads that
 * serve clients. A raft round that runs on a message stream's thread (a lightly loaded follower
 * syncs the append it received and answers it there) writes its answer on the thread it already
 * is on, with no wake-up of another transport thread per message; and client connections never
 * wait behind such a round. Epoll where the native transport loads, NIO otherwise. Started on
 * first use, a daemon never stopped, as gRPC's own shared threads.
 */
public final class PeerLoop {
    private static final boolean EPOLL = Epoll.isAvailable();
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kv-peer-io", true),
            EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());

    private PeerLoop() {
    }

    public static NettyServerBuilder on(NettyServerBuilder b) {
        return b.bossEventLoopGroup(GROUP).workerEventLoopGroup(GROUP)
                .channelType(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    }

    public static NettyChannelBuilder on(NettyChannelBuilder b) {
        return b.eventLoopGroup(GROUP).channelType(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class);
    }
}
