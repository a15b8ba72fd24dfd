package kv.peer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;

/** A raft member stand-in that records what the peer layer tells it. Thread-safe. */
final class RecordingHandler implements RaftHandler {
    final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<SnapshotReport> snapshotReports = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<Long, AtomicInteger> unreachable = new ConcurrentHashMap<>();
    volatile ClusterView view = new ClusterView(0, List.of());
    /** When set, receive() waits for it: a raft member that does not keep up. */
    volatile java.util.concurrent.CountDownLatch gate;

    record SnapshotReport(long peer, boolean ok) {}

    @Override
    public void receive(Message m) {
        var g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        received.add(m);
    }

    @Override
    public void reportUnreachable(long peerId) {
        unreachable.computeIfAbsent(peerId, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void reportSnapshot(long peerId, boolean ok) {
        snapshotReports.add(new SnapshotReport(peerId, ok));
    }

    @Override
    public PeerHash hashKv(long revision) {
        if (revision > 100) {
            throw new IllegalStateException("mvcc: required revision is a future revision");
        }
        return new PeerHash(0x5eed, revision, -1);
    }

    @Override
    public ClusterView members() {
        return view;
    }

    int unreachable(long peerId) {
        AtomicInteger n = unreachable.get(peerId);
        return n == null ? 0 : n.get();
    }

    /** Takes exactly {@code n} messages, failing if they do not all arrive within {@code timeout}. */
    List<Message> take(int n, Duration timeout) throws InterruptedException {
        List<Message> out = new ArrayList<>(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            Message m = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                fail("got " + out.size() + " of " + n + " messages within " + timeout);
            }
            out.add(m);
        }
        return out;
    }

    SnapshotReport takeSnapshotReport(Duration timeout) throws InterruptedException {
        SnapshotReport r = snapshotReports.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            fail("no snapshot report within " + timeout);
        }
        return r;
    }

    static Message app(long from, long to, long index) {
        return Message.newBuilder().setType(MessageType.MSG_APP).setFrom(from).setTo(to).setTerm(1).setIndex(index).build();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean());
    }
}
