package kv.server.rpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kv.api.etcdserverpb.WatchCreateRequest;
import kv.api.etcdserverpb.WatchGrpc;
import kv.api.etcdserverpb.WatchRequest;
import kv.api.etcdserverpb.WatchResponse;
import kv.api.mvccpb.Event;
import kv.mvcc.MvccException;
import kv.mvcc.WatchStream;
import kv.mvcc.WatchUpdate;
import kv.server.core.Member;

/**
 * etcd's Watch service: one bidirectional stream carries any number of watchers. Requests (create,
 * cancel, progress) are handled as they arrive; a pump on its own virtual thread moves updates from
 * the store's per-stream buffer to the client, pausing while gRPC's outbound buffer is full, so a
 * slow client parks its own watchers (the store catches them up later) and never blocks writers.
 */
public final class WatchService extends WatchGrpc.WatchImplBase {
    private static final System.Logger LOG = System.getLogger(WatchService.class.getName());
    /** etcd's limit for one fragment when the client asked for fragmenting. */
    private final int maxResponseBytes;
    private final Member member;
    private final Executor pumps;
    private final Duration progressInterval;

    public WatchService(Member member, Executor pumps, int maxResponseBytes, Duration progressInterval) {
        this.member = member;
        this.pumps = pumps;
        this.maxResponseBytes = maxResponseBytes;
        this.progressInterval = progressInterval;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        ServerCallStreamObserver<WatchResponse> out = (ServerCallStreamObserver<WatchResponse>) responses;
        Session s = new Session(out, member.store().newWatchStream());
        out.setOnReadyHandler(s::ready);
        out.setOnCancelHandler(s::close);
        pumps.execute(s::pump);
        return s;
    }

    /** One client stream. */
    private final class Session implements StreamObserver<WatchRequest> {
        private final ServerCallStreamObserver<WatchResponse> out;
        private final WatchStream stream;
        private final ReentrantLock sendLock = new ReentrantLock();
        private final Condition writable = sendLock.newCondition();
        private volatile boolean closed;
        private volatile boolean fragment;

        Session(ServerCallStreamObserver<WatchResponse> out, WatchStream stream) {
            this.out = out;
            this.stream = stream;
        }

        @Override
        public void onNext(WatchRequest r) {
            switch (r.getRequestUnionCase()) {
                case CREATE_REQUEST -> create(r.getCreateRequest());
                case CANCEL_REQUEST -> {
                    long id = r.getCancelRequest().getWatchId();
                    if (stream.cancel(id)) {
                        send(WatchResponse.newBuilder().setHeader(member.header(member.store().currentRevision()))
                                .setWatchId(id).setCanceled(true).build());
                    }
                }
                case PROGRESS_REQUEST -> {
                    if (!stream.requestProgressAll()) {
                        LOG.log(Level.DEBUG, "progress request deferred: a watcher of the stream is still catching up");
                    }
                }
                case REQUESTUNION_NOT_SET -> { }
            }
        }

        private void create(WatchCreateRequest c) {
            if (c.getFragment()) {
                fragment = true;
            }
            try {
                long id = stream.watch(c);
                send(WatchResponse.newBuilder().setHeader(member.header(member.store().currentRevision()))
                        .setWatchId(id).setCreated(true).build());
            } catch (MvccException e) {
                send(WatchResponse.newBuilder().setHeader(member.header(member.store().currentRevision()))
                        .setWatchId(-1).setCreated(true).setCanceled(true).setCancelReason(e.getMessage()).build());
            }
        }

        void pump() {
            try {
                long nextProgress = System.nanoTime() + progressInterval.toNanos();
                while (!closed) {
                    WatchUpdate u = stream.poll(Duration.ofMillis(200));
                    if (u != null) {
                        deliver(u);
                    }
                    if (System.nanoTime() - nextProgress >= 0) {
                        stream.progressNotify();
                        nextProgress = System.nanoTime() + progressInterval.toNanos();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "watch stream ended: " + e);
                close();
            }
        }

        private void deliver(WatchUpdate u) {
            WatchResponse.Builder b = WatchResponse.newBuilder().setHeader(member.header(u.revision())).setWatchId(u.watchId());
            if (u.compactRevision() > 0) {
                send(b.setCompactRevision(u.compactRevision()).setCanceled(true)
                        .setCancelReason("mvcc: required revision has been compacted").build());
                return;
            }
            List<Event> events = u.events();
            if (!fragment || u.sizeBytes() <= maxResponseBytes) {
                send(b.addAllEvents(events).build());
                return;
            }
            int from = 0;
            while (from < events.size()) {
                int to = from;
                long size = 0;
                while (to < events.size() && (to == from || size + events.get(to).getSerializedSize() <= maxResponseBytes)) {
                    size += events.get(to).getSerializedSize();
                    to++;
                }
                send(b.clone().clearEvents().addAllEvents(events.subList(from, to)).setFragment(to < events.size()).build());
                from = to;
            }
        }

        /** Sends one response, waiting while the transport's outbound buffer is full. */
        private void send(WatchResponse r) {
            sendLock.lock();
            try {
                while (!out.isReady() && !closed) {
                    writable.await(Duration.ofMillis(100).toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                if (!closed) {
                    out.onNext(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sendLock.unlock();
            }
        }

        void ready() {
            sendLock.lock();
            try {
                writable.signalAll();
            } finally {
                sendLock.unlock();
            }
        }

        @Override
        public void onError(Throwable t) {
            close();
        }

        @Override
        public void onCompleted() {
            close();
            try {
                out.onCompleted();
            } catch (IllegalStateException alreadyClosed) {
                // the client went away first
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                stream.close();
            }
        }
    }
}
