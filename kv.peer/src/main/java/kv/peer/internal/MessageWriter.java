package kv.peer.internal;

import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import kv.peer.RaftHandler;
import kv.peer.internal.peerpb.MessageBatch;
import kv.peer.internal.peerpb.PeerGrpc;
import kv.raft.raftpb.Message;

/**
 * The writer of one peer: one long-lived message stream, fed two ways. When the stream is open and
 * ready (gRPC flow control) and nothing is queued, {@link #send} writes the sender's messages as one
 * batch on the sender's own thread (raft's): no hand-off to another thread on the path of every
 * append and answer, two thread wake-ups fewer per round trip. Otherwise the messages wait in the
 * peer's bounded queue and the writer thread drains everything queued as one batch once the stream
 * can take it; a slow peer fills the queue and new messages are then dropped instead of buffered.
 * Every write and every take from the queue happens under one lock, so messages go out in the
 * order they were sent. A broken stream is reported unreachable and reopened after a backoff, on
 * the peer's next URL; while it is down, queued messages are dropped (raft resends), as etcd's
 * rafthttp does.
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
    /** Guards the stream and every take from the queue. */
    private final ReentrantLock lock = new ReentrantLock();
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

    /**
     * Sends {@code messages} in order without blocking: written at once when the stream can take
     * them and nothing is queued before them, queued for the writer thread otherwise. Returns how
     * many were dropped because the queue was full or the writer is closed.
     */
    int send(List<Message> messages) {
        if (closed) {
            return messages.size();
        }
        if (lock.tryLock()) {
            try {
                if (queue.isEmpty() && stream != null && stream.isReady()) {
                    Iterator<Message> given = messages.iterator();
                    try {
                        write(() -> given.hasNext() ? given.next() : null);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "peer " + PeerHeaders.hex(to) + ": stream write failed", e);
                        broken(Status.fromThrowable(e));
                        return 0;
                    }
                    // more than a batch's worth at once: the rest goes through the queue, in order
                    int dropped = 0;
                    while (given.hasNext()) {
                        if (!queue.offer(given.next())) {
                            dropped++;
                        }
                    }
                    if (!queue.isEmpty()) {
                        LockSupport.unpark(thread);
                    }
                    return dropped;
                }
            } finally {
                lock.unlock();
            }
        }
        int dropped = 0;
        for (Message m : messages) {
            if (!queue.offer(m)) {
                dropped++;
            }
        }
        LockSupport.unpark(thread);
        return dropped;
    }

    @Override
    public void run() {
        while (!closed) {
            long park;
            lock.lock();
            try {
                park = step();
            } catch (RuntimeException e) {
                // a bug or a channel that cannot be built: report and retry after the backoff
                LOG.log(Level.WARNING, "peer " + PeerHeaders.hex(to) + ": stream writer failed", e);
                broken(Status.fromThrowable(e));
                park = 0;
            } finally {
                lock.unlock();
            }
            if (park > 0 && !closed) {
                // woken early by send (messages queued), gRPC (stream ready or ended) or close
                LockSupport.parkNanos(park);
            }
        }
        lock.lock();
        try {
            if (stream != null) {
                stream.finish();
            }
            int n = queue.size();
            queue.clear();
            counters.dropped(n);
        } finally {
            lock.unlock();
        }
    }

    /** One round of the writer thread, under the lock; returns how long to park before the next (0: go on). */
    private long step() {
        if (stream == null) {
            long wait = backoff.remainingNanos();
            if (wait > 0) {
                dropQueued();
                return Math.min(wait, POLL_NANOS);
            }
            stream = open();
        }
        Status ended = stream.ended();
        if (ended != null) {
            broken(ended);
            return 0;
        }
        if (queue.isEmpty() || !stream.isReady()) {
            return POLL_NANOS;
        }
        write(queue::poll);
        return 0;
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

    /** Writes one batch, under the lock, of what {@code next} gives (null: no more) up to the batch size. */
    private void write(Supplier<Message> next) {
        MessageBatch.Builder b = MessageBatch.newBuilder();
        long bytes = 0;
        Message m;
        while (bytes < MAX_BATCH_BYTES && (m = next.get()) != null) {
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
