package kv.peer.internal;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.locks.LockSupport;
import kv.peer.internal.peerpb.MessageBatch;
import kv.peer.internal.peerpb.StreamAck;

/**
 * One message stream to a peer, as its writer sees it: whether it can take a batch now (gRPC flow
 * control) and whether it has ended. The gRPC callbacks only record state and wake the writer
 * thread; every write happens under the writer's lock (on its thread or the sender's).
 */
final class StreamCall implements ClientResponseObserver<MessageBatch, StreamAck> {
    final ManagedChannel channel;
    final long openedNanos = System.nanoTime();
    private final Thread writer;
    private ClientCallStreamObserver<MessageBatch> requests;
    private volatile Status ended;

    StreamCall(ManagedChannel channel, Thread writer) {
        this.channel = channel;
        this.writer = writer;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<MessageBatch> requestStream) {
        requests = requestStream;
        requestStream.setOnReadyHandler(() -> LockSupport.unpark(writer));
    }

    boolean isReady() {
        return ended == null && requests.isReady();
    }

    /** How the stream ended, or null while it is open. */
    Status ended() {
        return ended;
    }

    void write(MessageBatch batch) {
        requests.onNext(batch);
    }

    /** Half-closes the stream: the peer gets what was written, then answers and ends it. */
    void finish() {
        if (ended == null) {
            requests.onCompleted();
        }
    }

    @Override
    public void onNext(StreamAck ack) {
        // the receiver's count is not needed: raft tolerates loss and resends
    }

    @Override
    public void onError(Throwable t) {
        ended = Status.fromThrowable(t);
        LockSupport.unpark(writer);
    }

    @Override
    public void onCompleted() {
        // the peer ended the stream without an error: it is shutting down
        ended = Status.UNAVAILABLE.withDescription("peer closed the stream");
        LockSupport.unpark(writer);
    }
}
