package kv.server.node;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.raft.RawNode;
import kv.raft.ReadState;

/**
 * Linearizable reads as read-index rounds: one round at a time, covering every read queued before
 * it started, each read released once the member has applied the round's read index. A round lost
 * on the way (a dropped message, a leader that changed or had not yet committed in its term) is
 * asked again under the same name after a while, as etcd's read loop does, until an answer comes or
 * the waiting clients time out.
 *
 * <p>A leader matches heartbeat answers to rounds by their name alone, so names never repeat: the
 * member id, then a counter that starts at a random point in each incarnation. With a counter from 1
 * on every member, a deposed leader (a paused process that resumes) took a follower's late answer to
 * another member's round of the same number for a confirmation of its own, and served a read from
 * before the new leader's writes. etcd names rounds with ids unique per member and start time.
 *
 * <p>{@link #add} and {@link #failQueued} from any thread; the rest on whichever thread runs raft
 * (under its lock).
 */
final class ReadRounds {
    private final long member;
    private final long retryNanos;
    private final ConcurrentLinkedQueue<CompletableFuture<Long>> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    // raft's thread only
    private long counter = ThreadLocalRandom.current().nextLong();
    /** The round in flight, or null; its reads; when it was last asked. */
    private ByteString round;
    private List<CompletableFuture<Long>> batch = List.of();
    private long askedNanos;

    ReadRounds(long member, long retryNanos) {
        this.member = member;
        this.retryNanos = retryNanos;
    }

    /**
     * Queues a read. True when raft's thread must be told: one signal covers every read queued until
     * it takes them, and it clears the flag before it does ({@link #requested}), so a read added
     * after that raises it again.
     */
    boolean add(CompletableFuture<Long> read) {
        queued.add(read);
        return signalled.compareAndSet(false, true);
    }

    /** Raft's thread took the signal: starts a round unless one is in flight. */
    void requested(RawNode raw) {
        signalled.set(false);
        maybeStart(raw);
    }

    /** Releases the round a read state answers, then starts the next one if reads are queued. */
    void answered(List<ReadState> states, AppliedIndex applied, RawNode raw) {
        for (ReadState rs : states) {
            if (round != null && round.equals(rs.requestCtx())) {
                CompletableFuture<Long> reached = applied.await(rs.index());
                for (CompletableFuture<Long> f : batch) {
                    reached.whenComplete((i, err) -> {
                        if (err != null) {
                            f.completeExceptionally(err);
                        } else {
                            f.complete(i);
                        }
                    });
                }
                round = null;
                batch = List.of();
            }
        }
        maybeStart(raw);
    }

    /** Asks again for the round in flight if no answer came within the retry interval. */
    void maybeRetry(RawNode raw, long now) {
        if (round != null && now - askedNanos > retryNanos) {
            askedNanos = now;
            raw.readIndex(round.toByteArray());
        }
    }

    /** Fails the round in flight: the leader that was to answer it is gone (its clients retry). */
    void abandon(Throwable cause) {
        batch.forEach(f -> f.completeExceptionally(cause));
        round = null;
        batch = List.of();
    }

    /** Fails every read, in flight or queued: raft's thread is stopping. */
    void failAll(Throwable cause) {
        abandon(cause);
        failQueued(cause);
    }

    /** Fails the reads not yet in a round; from any thread (once raft's has stopped, nothing else takes them). */
    void failQueued(Throwable cause) {
        for (CompletableFuture<Long> f; (f = queued.poll()) != null; ) {
            f.completeExceptionally(cause);
        }
    }

    private void maybeStart(RawNode raw) {
        if (round != null || queued.isEmpty()) {
            return;
        }
        List<CompletableFuture<Long>> reads = new ArrayList<>();
        for (CompletableFuture<Long> f; (f = queued.poll()) != null; ) {
            reads.add(f);
        }
        round = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(member).putLong(++counter).array());
        batch = reads;
        askedNanos = System.nanoTime();
        raw.readIndex(round.toByteArray());
    }
}
