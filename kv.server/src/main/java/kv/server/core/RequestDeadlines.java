package kv.server.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import kv.server.rpc.EtcdError;

/**
 * etcd's request timeout for every waiting request, by one periodic sweep instead of a timer per
 * request: {@link CompletableFuture#orTimeout} schedules a task on the JDK's delay thread and wakes
 * it for every put (56,000 context switches of that thread per 100,000 puts, ~8% of the server's
 * CPU in a put c100 run). The timeout is the same for all, so deadlines arrive in order: a sweep
 * fails the unfinished futures at the head of the queue whose deadline has passed and drops the
 * finished ones (an entry lets go of its future when it completes). A request times out between its deadline and the next sweep. Thread-safe.
 */
final class RequestDeadlines {
    /** A deadline and its future, dropped as soon as the future completes: the queue must not keep answers alive. */
    private static final class Entry {
        final long deadline;
        volatile CompletableFuture<?> future;

        Entry(long deadline, CompletableFuture<?> future) {
            this.deadline = deadline;
            this.future = future;
        }
    }

    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final long timeoutNanos;
    private final LongSupplier nanoClock;

    RequestDeadlines(Duration timeout, LongSupplier nanoClock) {
        this.timeoutNanos = timeout.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Fails {@code f} with etcd's "request timed out" unless it completes within the timeout; returns {@code f}. */
    <T> CompletableFuture<T> watch(CompletableFuture<T> f) {
        if (!f.isDone()) {
            Entry e = new Entry(nanoClock.getAsLong() + timeoutNanos, f);
            queue.add(e);
            // a finished request's answer (a large range, say) is not held until its deadline
            f.whenComplete((v, err) -> e.future = null);
        }
        return f;
    }

    /** Times out every watched future whose deadline has passed; returns how many it failed. */
    int sweep() {
        long now = nanoClock.getAsLong();
        int failed = 0;
        for (Entry e = queue.peek(); e != null && e.deadline - now <= 0; e = queue.peek()) {
            queue.poll();
            CompletableFuture<?> f = e.future;
            if (f != null && f.completeExceptionally(EtcdError.TIMEOUT.asException())) {
                failed++;
            }
        }
        return failed;
    }

    /** Requests still watched (finished ones stay until their deadline passes). */
    int size() {
        return queue.size();
    }
}
