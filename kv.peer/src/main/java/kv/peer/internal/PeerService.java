package kv.peer.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import kv.peer.RaftHandler;
import kv.peer.SnapshotData;
import kv.peer.internal.peerpb.MessageBatch;
import kv.peer.internal.peerpb.MembersRequest;
import kv.peer.internal.peerpb.MembersResponse;
import kv.peer.internal.peerpb.PeerGrpc;
import kv.peer.internal.peerpb.SnapshotAck;
import kv.peer.internal.peerpb.SnapshotChunk;
import kv.peer.internal.peerpb.StreamAck;
import kv.raft.raftpb.Message;

/**
 * The receiving side of the peer protocol: message streams hand each message to the raft
 * handler in order, snapshot calls go through {@link SnapshotInbound}, Members answers from the
 * handler's view. Calls reach it only through {@link ServerGate}. Thread-safe (gRPC serializes
 * the callbacks of one call).
 */
public final class PeerService extends PeerGrpc.PeerImplBase {
    private static final System.Logger LOG = System.getLogger(PeerService.class.getName());

    private final long self;
    private final RaftHandler handler;
    private final SnapshotData snapshots;
    private final Counters counters;

    private PeerService(long self, RaftHandler handler, SnapshotData snapshots, Counters counters) {
        this.self = self;
        this.handler = handler;
        this.snapshots = snapshots;
        this.counters = counters;
    }

    /** The service behind its gate, ready to add to a server. */
    public static ServerServiceDefinition definition(long self, long clusterId, RaftHandler handler, SnapshotData snapshots, Counters counters) {
        return ServerInterceptors.intercept(new PeerService(self, handler, snapshots, counters), new ServerGate(self, clusterId));
    }

    @Override
    public StreamObserver<MessageBatch> stream(StreamObserver<StreamAck> responses) {
        return new StreamObserver<>() {
            private long received;
            private boolean refused;

            @Override
            public void onNext(MessageBatch batch) {
                if (refused) {
                    return;
                }
                counters.batches.increment();
                for (ByteString bytes : batch.getMessagesList()) {
                    Status refusal = deliver(bytes);
                    if (refusal != null) {
                        refused = true;
                        counters.dropped(1);
                        LOG.log(Level.WARNING, refusal.getDescription());
                        responses.onError(refusal.asRuntimeException());
                        return;
                    }
                    received++;
                }
            }

            @Override
            public void onError(Throwable t) {
                LOG.log(Level.DEBUG, () -> "peer stream ended: " + Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                if (!refused) {
                    responses.onNext(StreamAck.newBuilder().setMessages(received).build());
                    responses.onCompleted();
                }
            }
        };
    }

    /** Hands one message to raft; the refusal when it is malformed or meant for another member. */
    private Status deliver(ByteString bytes) {
        Message m;
        try {
            m = Message.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return Status.INVALID_ARGUMENT.withDescription("peer: malformed raft message: " + e.getMessage());
        }
        if (m.getTo() != self) {
            return Status.FAILED_PRECONDITION.withDescription("peer: message to member " + PeerHeaders.hex(m.getTo())
                    + " delivered to member " + PeerHeaders.hex(self));
        }
        handler.receive(m);
        counters.messages.increment();
        return null;
    }

    @Override
    public StreamObserver<SnapshotChunk> snapshot(StreamObserver<SnapshotAck> responses) {
        return new SnapshotInbound(self, (ServerCallStreamObserver<SnapshotAck>) responses, handler, snapshots);
    }

    @Override
    public void hashKv(kv.peer.internal.peerpb.HashKvRequest request, StreamObserver<kv.peer.internal.peerpb.HashKvResponse> responses) {
        kv.peer.PeerHash h;
        try {
            h = handler.hashKv(request.getRevision());
        } catch (IllegalStateException e) {
            responses.onError(io.grpc.Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        responses.onNext(kv.peer.internal.peerpb.HashKvResponse.newBuilder().setHash(h.hash()).setRevision(h.revision())
                .setCompactRevision(h.compactRevision()).build());
        responses.onCompleted();
    }

    @Override
    public void members(MembersRequest request, StreamObserver<MembersResponse> responses) {
        responses.onNext(MembersCodec.encode(handler.members()));
        responses.onCompleted();
    }
}
