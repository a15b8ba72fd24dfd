package kv.server.node;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * The index the state machine has applied, and the readers waiting for it to reach a given index
 * (a linearizable read waits until the applied index reaches its read index). Advanced by whichever
 * thread applies, and by a reader that registers; awaited from any thread.
 */
final class AppliedIndex {
    private record Waiter(long index, CompletableFuture<Long> done) {}

    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));
    private volatile long applied;

    AppliedIndex(long start) {
        this.applied = start;
    }

    long get() {
        return applied;
    }

    /** Completes (with the applied index) once the applied index is at least {@code index}. */
    CompletableFuture<Long> await(long index) {
        long now = applied;
        if (now >= index) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Long> f = new CompletableFuture<>();
        synchronized (waiters) {
            waiters.add(new Waiter(index, f));
        }
        // the apply thread may have passed index between the read above and the add
        advanceTo(applied);
        return f;
    }

    /** Moves the applied index forward (never back) and wakes the readers it satisfies. */
    void advanceTo(long index) {
        synchronized (waiters) {
            // under the lock: a reader passing an index it read earlier must not move it back
            if (index > applied) {
                applied = index;
            }
            long now = applied;
            while (!waiters.isEmpty() && waiters.peek().index <= now) {
                waiters.poll().done.complete(now);
            }
        }
    }

    void failAll(Throwable error) {
        synchronized (waiters) {
            waiters.forEach(w -> w.done.completeExceptionally(error));
            waiters.clear();
        }
    }
}
