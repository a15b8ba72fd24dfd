package kv.peer.internal;

import java.time.Duration;

/**
 * Reconnect delays for one peer: {@code initial}, doubling on each failure up to {@code max}; a
 * stream that stayed up longer than {@code max} resets it. Confined to the peer's writer thread.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private long delayNanos;
    private long nextAttempt;

    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.delayNanos = initialNanos;
        this.nextAttempt = System.nanoTime();
    }

    /** Nanoseconds until the next attempt may start; zero or less when it may start now. */
    long remainingNanos() {
        return nextAttempt - System.nanoTime();
    }

    /** A stream that was up for {@code upNanos} broke: schedule the next attempt. */
    void failed(long upNanos) {
        if (upNanos > maxNanos) {
            delayNanos = initialNanos;
        }
        nextAttempt = System.nanoTime() + delayNanos;
        delayNanos = Math.min(maxNanos, delayNanos * 2);
    }
}
