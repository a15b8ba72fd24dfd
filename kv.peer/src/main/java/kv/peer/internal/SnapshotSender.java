package kv.peer.internal;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import kv.peer.RaftHandler;
import kv.peer.SnapshotData;
import kv.peer.internal.peerpb.PeerGrpc;
import kv.peer.internal.peerpb.SnapshotAck;
import kv.peer.internal.peerpb.SnapshotChunk;
import kv.raft.raftpb.Message;

/**
 * Sends one snapshot on its own thread and channel: the MsgSnap, then the backend data from
 * {@link SnapshotData#writeTo} in chunks of {@link #CHUNK_BYTES}, each written only when the call is
 * ready (so at most about one chunk is buffered), and waits for the receiver to make it durable.
 * Reports the outcome with {@link RaftHandler#reportSnapshot}. {@link #abort} cuts it.
 */
final class SnapshotSender implements Runnable, ClientResponseObserver<SnapshotChunk, SnapshotAck> {
    private static final System.Logger LOG = System.getLogger(SnapshotSender.class.getName());
    static final int CHUNK_BYTES = 1 << 20;

    private final Dialer dialer;
    private final URI url;
    private final Message msgSnap;
    private final SnapshotData snapshots;
    private final RaftHandler handler;
    private final Runnable onDone;
    private final CompletableFuture<SnapshotAck> result = new CompletableFuture<>();
    private final Thread thread;
    private volatile ManagedChannel channel;
    private volatile boolean aborted;
    private ClientCallStreamObserver<SnapshotChunk> requests;

    SnapshotSender(Dialer dialer, URI url, Message msgSnap, SnapshotData snapshots, RaftHandler handler, Runnable onDone) {
        this.dialer = dialer;
        this.url = url;
        this.msgSnap = msgSnap;
        this.snapshots = snapshots;
        this.handler = handler;
        this.onDone = onDone;
        this.thread = Thread.ofPlatform().daemon().name("kv-peer-snapshot-" + PeerHeaders.hex(msgSnap.getTo())).unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        boolean ok = false;
        long to = msgSnap.getTo();
        try {
            channel = dialer.open(url);
            if (aborted) {
                throw new IOException("transport closed");
            }
            PeerGrpc.newStub(channel).withInterceptors(PeerHeaders.attach(dialer.config().memberId(), to, dialer.config().clusterId())).snapshot(this);
            send(SnapshotChunk.newBuilder().setMessage(msgSnap.toByteString()).build());
            ChunkStream out = new ChunkStream();
            snapshots.writeTo(msgSnap, out);
            out.flushLast();
            requests.onCompleted();
            SnapshotAck ack = result.get();
            LOG.log(Level.INFO, () -> "peer " + PeerHeaders.hex(to) + ": sent snapshot at index "
                    + msgSnap.getSnapshot().getMetadata().getIndex() + " (" + ack.getBytes() + " data bytes)");
            ok = true;
        } catch (IOException | ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.log(Level.WARNING, "peer " + PeerHeaders.hex(to) + " (" + url + "): snapshot at index "
                    + msgSnap.getSnapshot().getMetadata().getIndex() + " failed: " + cause);
            if (requests != null && !result.isDone()) {
                requests.cancel("snapshot sender failed", cause);
            }
        } catch (InterruptedException e) {
            requests.cancel("snapshot sender interrupted", e);
        } finally {
            shutdownChannel();
            onDone.run();
            handler.reportSnapshot(to, ok);
        }
    }

    private void send(SnapshotChunk chunk) throws IOException {
        while (!requests.isReady()) {
            if (result.isDone() || aborted) {
                throw new IOException("snapshot stream ended: " + (aborted ? "transport closed" : outcome()));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        requests.onNext(chunk);
    }

    private String outcome() {
        try {
            return "answered " + result.getNow(null);
        } catch (RuntimeException e) {
            return Status.fromThrowable(e.getCause() == null ? e : e.getCause()).toString();
        }
    }

    private void shutdownChannel() {
        ManagedChannel c = channel;
        if (c != null) {
            c.shutdownNow();
        }
    }

    /** Cuts the transfer (the transport is closing); the thread then reports failure. */
    void abort() {
        aborted = true;
        shutdownChannel();
        LockSupport.unpark(thread);
    }

    /** Waits up to {@code millis} for the thread to end. */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SnapshotChunk> requestStream) {
        requests = requestStream;
        requestStream.setOnReadyHandler(() -> LockSupport.unpark(thread));
    }

    @Override
    public void onNext(SnapshotAck ack) {
        result.complete(ack);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
        LockSupport.unpark(thread);
    }

    @Override
    public void onCompleted() {
        result.completeExceptionally(Status.INTERNAL.withDescription("peer: snapshot call ended without an answer").asRuntimeException());
    }

    /** Buffers writes into chunks of {@link #CHUNK_BYTES} and sends each one when the call is ready. */
    private final class ChunkStream extends OutputStream {
        private final byte[] buf = new byte[CHUNK_BYTES];
        private int len;

        @Override
        public void write(int b) throws IOException {
            if (len == buf.length) {
                flushChunk();
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                if (len == buf.length) {
                    flushChunk();
                }
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
            }
        }

        /** Sends what is buffered; not close(), so that a writeTo that closes its stream sends nothing early. */
        void flushLast() throws IOException {
            if (len > 0) {
                flushChunk();
            }
        }

        private void flushChunk() throws IOException {
            send(SnapshotChunk.newBuilder().setData(ByteString.copyFrom(buf, 0, len)).build());
            len = 0;
        }
    }
}
