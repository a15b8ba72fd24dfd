package kv.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import kv.server.rpc.Errors;
import org.junit.jupiter.api.Test;

class RequestDeadlinesTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final RequestDeadlines deadlines = new RequestDeadlines(Duration.ofSeconds(7), now::get);

    @Test
    void unfinishedRequestsFailWithEtcdsTimeoutOnceTheirDeadlinePassed() {
        CompletableFuture<String> slow = deadlines.watch(new CompletableFuture<>());
        CompletableFuture<String> answered = deadlines.watch(new CompletableFuture<>());
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        CompletableFuture<String> later = deadlines.watch(new CompletableFuture<>());
        answered.complete("ok");

        now.addAndGet(Duration.ofSeconds(4).toNanos() - 1);
        assertEquals(0, deadlines.sweep(), "one nanosecond before the first deadline");
        assertFalse(slow.isDone());

        now.incrementAndGet();
        assertEquals(1, deadlines.sweep(), "the answered request is dropped, not failed");
        assertTrue(slow.isCompletedExceptionally());
        var status = Errors.toStatus(slow.exceptionNow()).getStatus();
        assertEquals(Status.Code.UNAVAILABLE, status.getCode());
        assertEquals("etcdserver: request timed out", status.getDescription());
        assertEquals("ok", answered.join());
        assertFalse(later.isDone(), "watched 3 s later: 3 s left");
        assertEquals(1, deadlines.size());

        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertEquals(1, deadlines.sweep());
        assertTrue(later.isCompletedExceptionally());
        assertEquals(0, deadlines.size());
    }

    @Test
    void aWatchedFutureIsReleasedOnceItCompletes() throws Exception {
        CompletableFuture<byte[]> answered = deadlines.watch(new CompletableFuture<>());
        java.lang.ref.WeakReference<CompletableFuture<byte[]>> ref = new java.lang.ref.WeakReference<>(answered);
        answered.complete(new byte[1 << 20]);
        answered = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(ref.get() == null, "the queue still holds an answered request until its deadline");
        assertEquals(1, deadlines.size(), "the entry itself stays until its deadline");
        now.addAndGet(Duration.ofSeconds(7).toNanos());
        assertEquals(0, deadlines.sweep());
        assertEquals(0, deadlines.size());
    }

    @Test
    void aFinishedFutureIsNotWatched() {
        deadlines.watch(CompletableFuture.completedFuture("done"));
        assertEquals(0, deadlines.size());
    }
}
