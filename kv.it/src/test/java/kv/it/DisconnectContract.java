package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.LeaseGrpc;
import kv.api.etcdserverpb.LeaseKeepAliveRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.WatchCreateRequest;
import kv.api.etcdserverpb.WatchGrpc;
import kv.api.etcdserverpb.WatchRequest;
import kv.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that vanish mid-stream (watch and keep-alive streams cut by closing the connection, many
 * times over) cost the server nothing: it keeps serving and loses nothing. Same test, etcd and kvd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DisconnectContract {
    private TestServer server;

    abstract TestServer.Kind kind();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        assumeTrue(kind() != TestServer.Kind.ETCD || TestServer.etcdInstalled(), "Debian's etcd-server is not installed (bin/test-deps installs it)");
        server = TestServer.start(kind(), dir, "--backend", System.getProperty("kv.it.backend", "jbolt"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ManagedChannel channel() {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.clientPort()).usePlaintext().build();
    }

    @Test
    void streamsCutMidwayLeaveTheServerServing() throws Exception {
        ManagedChannel main = channel();
        try {
            var kv = KVGrpc.newBlockingStub(main).withDeadlineAfter(10, TimeUnit.SECONDS);
            kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("cut/keep")).setValue(ByteString.copyFromUtf8("v")).build());
            for (int i = 0; i < 50; i++) {
                ManagedChannel doomed = channel();
                StreamObserver<WatchRequest> w = WatchGrpc.newStub(doomed).watch(ignoring());
                w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("cut/")).setRangeEnd(ByteString.copyFromUtf8("cut0"))).build());
                StreamObserver<LeaseKeepAliveRequest> k = LeaseGrpc.newStub(doomed).leaseKeepAlive(ignoring());
                k.onNext(LeaseKeepAliveRequest.newBuilder().setID(12345).build());
                doomed.shutdownNow(); // no half-close, no cancel: the connection just goes
            }
            kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("cut/after")).setValue(ByteString.copyFromUtf8("v")).build());
            var r = KVGrpc.newBlockingStub(main).withDeadlineAfter(10, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("cut/")).setRangeEnd(ByteString.copyFromUtf8("cut0")).build());
            assertEquals(2, r.getCount());
        } finally {
            main.shutdownNow();
        }
    }

    private static <T> StreamObserver<T> ignoring() {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {}

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }
}
