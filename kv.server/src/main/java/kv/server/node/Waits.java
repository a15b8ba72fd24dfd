package kv.server.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proposals waiting for their entry to be applied, by request id. The proposing member registers an
 * id before proposing; the applier completes it with the result of applying. Members that did not
 * propose an entry have nothing registered for its id, and completing it does nothing.
 * Thread-safe.
 */
final class Waits {
    private final ConcurrentHashMap<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();

    CompletableFuture<Object> register(long id) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (pending.putIfAbsent(id, f) != null) {
            throw new IllegalStateException("request id " + Long.toHexString(id) + " is already waiting");
        }
        return f;
    }

    void complete(long id, Object result) {
        CompletableFuture<Object> f = pending.remove(id);
        if (f != null) {
            f.complete(result);
        }
    }

    void fail(long id, Throwable error) {
        CompletableFuture<Object> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    /** Stops waiting for {@code id} (the caller gave up); a later apply still happens, unobserved. */
    void forget(long id) {
        pending.remove(id);
    }

    /** Fails every waiter (the member is stopping). */
    void failAll(Throwable error) {
        for (Long id : pending.keySet()) {
            fail(id, error);
        }
    }

    int size() {
        return pending.size();
    }
}
