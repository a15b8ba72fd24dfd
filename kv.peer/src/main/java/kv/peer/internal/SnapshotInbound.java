package kv.peer.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;
import kv.peer.RaftHandler;
import kv.peer.SnapshotData;
import kv.peer.internal.peerpb.SnapshotAck;
import kv.peer.internal.peerpb.SnapshotChunk;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;

/**
 * One incoming snapshot. The first chunk (the MsgSnap) starts a receiver thread that runs
 * {@link SnapshotData#receive} over an {@link InputStream} of the following chunks; a chunk is
 * requested from gRPC only when the previous one was taken, so at most a couple of chunks are in
 * memory. When the data is durable and complete, the MsgSnap goes to raft and the sender gets its
 * answer; any failure fails the call, which the sender reports to its raft.
 */
final class SnapshotInbound implements StreamObserver<SnapshotChunk> {
    private static final System.Logger LOG = System.getLogger(SnapshotInbound.class.getName());
    /** Queue entries that end the data: the end of the stream, or its failure. */
    private sealed interface Event permits Data, End, Broken {}
    private record Data(ByteString bytes) implements Event {}
    private record End() implements Event {}
    private record Broken(Status status) implements Event {}

    private final long self;
    private final ServerCallStreamObserver<SnapshotAck> call;
    private final RaftHandler handler;
    private final SnapshotData snapshots;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private boolean started;

    SnapshotInbound(long self, ServerCallStreamObserver<SnapshotAck> call, RaftHandler handler, SnapshotData snapshots) {
        this.self = self;
        this.call = call;
        this.handler = handler;
        this.snapshots = snapshots;
        call.disableAutoRequest();
        call.setOnCancelHandler(() -> events.add(new Broken(Status.CANCELLED.withDescription("sender cancelled"))));
        call.request(1);
    }

    @Override
    public void onNext(SnapshotChunk chunk) {
        if (started) {
            events.add(new Data(chunk.getData()));
            return;
        }
        started = true;
        Message m;
        try {
            m = Message.parseFrom(chunk.getMessage());
        } catch (InvalidProtocolBufferException e) {
            refuse(Status.INVALID_ARGUMENT.withDescription("peer: malformed snapshot message: " + e.getMessage()));
            return;
        }
        if (m.getType() != MessageType.MSG_SNAP || m.getTo() != self) {
            refuse(Status.FAILED_PRECONDITION.withDescription("peer: snapshot call carries " + m.getType() + " to member "
                    + PeerHeaders.hex(m.getTo()) + ", this member is " + PeerHeaders.hex(self)));
            return;
        }
        Thread.ofPlatform().daemon().name("kv-peer-snapshot-recv-" + PeerHeaders.hex(m.getFrom())).start(() -> receive(m));
        call.request(1);
    }

    private void refuse(Status s) {
        LOG.log(Level.WARNING, s.getDescription());
        call.onError(s.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
        events.add(new Broken(Status.fromThrowable(t)));
    }

    @Override
    public void onCompleted() {
        events.add(new End());
    }

    private void receive(Message m) {
        long index = m.getSnapshot().getMetadata().getIndex();
        try (ChunkInput in = new ChunkInput()) {
            snapshots.receive(m, in);
            // the data counts only if the sender finished it: a stream cut short must not reach raft
            in.transferTo(OutputStream.nullOutputStream());
            handler.receive(m);
            call.onNext(SnapshotAck.newBuilder().setBytes(in.bytes).build());
            call.onCompleted();
            LOG.log(Level.INFO, () -> "received snapshot at index " + index + " from member " + PeerHeaders.hex(m.getFrom())
                    + " (" + in.bytes + " data bytes)");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot receive snapshot at index " + index + " from member " + PeerHeaders.hex(m.getFrom()), e);
            call.onError(Status.INTERNAL.withDescription("peer: cannot receive snapshot: " + e.getMessage()).asRuntimeException());
        }
    }

    /** The data chunks as a stream; reading one asks gRPC for the next. Used by the receiver thread only. */
    private final class ChunkInput extends InputStream {
        private ByteString current = ByteString.EMPTY;
        private int pos;
        private boolean end;
        private IOException broken;
        long bytes;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == current.size()) {
                if (end || !next()) {
                    return -1;
                }
            }
            int n = Math.min(len, current.size() - pos);
            current.substring(pos, pos + n).copyTo(b, off);
            pos += n;
            bytes += n;
            return n;
        }

        /** Takes the next chunk; false at the end of the data. */
        private boolean next() throws IOException {
            if (broken != null) {
                throw broken; // nothing more will arrive on a broken stream
            }
            Event e;
            try {
                e = events.take();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IOException("peer: interrupted while receiving a snapshot", ie);
            }
            switch (e) {
                case Data d -> {
                    current = d.bytes();
                    pos = 0;
                    call.request(1);
                    return true;
                }
                case End x -> {
                    end = true;
                    return false;
                }
                case Broken x -> {
                    broken = new IOException("peer: snapshot stream broke: " + x.status());
                    throw broken;
                }
            }
        }
    }
}
