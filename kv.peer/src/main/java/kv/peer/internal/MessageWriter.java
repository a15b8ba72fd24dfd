package kv.peer.internal;

import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import kv.peer.RaftHandler;
import kv.peer.internal.peerpb.MessageBatch;
import kv.peer.internal.peerpb.PeerGrpc;
import kv.raft.raftpb.Message;

/**
 * The writer of one peer: a thread that drains the peer's bounded queue into one long-lived
 * message stream, everything queued at once going out as one batch. It writes only when the
 * stream is ready (gRPC flow control), so a slow peer fills the queue and new messages are then
 * dropped by {@link #offer} instead of buffered. A broken stream is reported unreachable and
 * reopened after a backoff, on the peer's next URL; while it is down, queued messages are dropped
 * (raft resends), as etcd's rafthttp does.
 */
final class MessageWriter implements Runnable {
    private static final System.Logger LOG = System.getLogger(MessageWriter.class.getName());
    /** A batch stops growing at this size; one larger message still goes alone. */
    static final int MAX_BATCH_BYTES = 4 << 20;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final long self;
    private final long to;
    private final long clusterId;
    private final ArrayBlockingQueue<Message> queue;
    private final PeerChannels channels;
    private final RaftHandler handler;
    private final Counters counters;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    private final Thread thread;
    private volatile boolean closed;
    private StreamCall stream;
    /** Whether the last stream carried messages; only changes are logged, as etcd logs a peer becoming (in)active. */
    private boolean active;

    MessageWriter(long self, long to, long clusterId, int queueSize, PeerChannels channels, RaftHandler handler, Counters counters) {
        this.self = self;
        this.to = to;
        this.clusterId = clusterId;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.channels = channels;
        this.handler = handler;
        this.counters = counters;
        this.thread = Thread.ofPlatform().daemon().name("kv-peer-writer-" + PeerHeaders.hex(to)).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code m} without blocking; false when the queue is full (the caller drops it). */
    boolean offer(Message m) {
        return !closed && queue.offer(m);
    }

    @Override
    public void run() {
        while (!closed) {
            try {
                step();
            } catch (RuntimeException e) {
                // a bug or a channel that cannot be built: report and retry after the backoff
                LOG.log(Level.WARNING, "peer " + PeerHeaders.hex(to) + ": stream writer failed", e);
                broken(Status.fromThrowable(e));
            }
        }
        if (stream != null) {
            stream.finish();
        }
        int n = queue.size();
        queue.clear();
        counters.dropped(n);
    }

    private void step() {
        if (stream == null) {
            long wait = backoff.remainingNanos();
            if (wait > 0) {
                dropQueued();
                LockSupport.parkNanos(Math.min(wait, POLL_NANOS));
                return;
            }
            stream = open();
        }
        Status ended = stream.ended();
        if (ended != null) {
            broken(ended);
        } else if (!stream.isReady()) {
            LockSupport.parkNanos(POLL_NANOS);
        } else {
            writeBatch();
        }
    }

    private StreamCall open() {
        var channel = channels.current();
        // our own backoff (at most 2 s) paces the attempts: without this, gRPC keeps a channel that
        // failed to connect in its own backoff (growing to 2 minutes) and fails new calls at once,
        // so a restarted member would not hear from this one for that long
        channel.resetConnectBackoff();
        StreamCall call = new StreamCall(channel, thread);
        PeerGrpc.newStub(channel).withInterceptors(PeerHeaders.attach(self, to, clusterId)).stream(call);
        return call;
    }

    private void writeBatch() {
        Message first;
        try {
            first = queue.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return; // close() interrupts only to wake the thread
        }
        if (first == null) {
            return;
        }
        MessageBatch.Builder b = MessageBatch.newBuilder().addMessages(first.toByteString());
        long bytes = first.getSerializedSize();
        Message m;
        while (bytes < MAX_BATCH_BYTES && (m = queue.poll()) != null) {
            b.addMessages(m.toByteString());
            bytes += m.getSerializedSize();
        }
        stream.write(b.build());
        counters.messages.add(b.getMessagesCount());
        counters.batches.increment();
        if (!active) {
            active = true;
            LOG.log(Level.INFO, () -> "peer " + PeerHeaders.hex(to) + " became active (" + channels.currentUrl() + ")");
        }
    }

    private void broken(Status status) {
        String why = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        boolean refused = status.getCode() == Status.Code.FAILED_PRECONDITION;
        Level level = refused || active ? Level.WARNING : Level.DEBUG;
        LOG.log(level, () -> "peer " + PeerHeaders.hex(to) + " (" + channels.currentUrl() + ") "
                + (active ? "became inactive: " : "unreachable: ") + why);
        active = false;
        long up = 0;
        if (stream != null) {
            up = System.nanoTime() - stream.openedNanos;
            channels.rotate(stream.channel);
            stream = null;
        }
        backoff.failed(up);
        dropQueued();
        handler.reportUnreachable(to);
    }

    private void dropQueued() {
        List<Message> dropped = new ArrayList<>();
        queue.drainTo(dropped);
        if (!dropped.isEmpty()) {
            counters.dropped(dropped.size());
            handler.reportUnreachable(to);
        }
    }

    /** Stops the thread: it half-closes the stream (the peer gets what was written) and exits. */
    void close(Duration grace) {
        closed = true;
        thread.interrupt();
        try {
            thread.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
