package kv.lincheck;

import java.util.Objects;

/**
 * One client operation of a history: who issued it, what it asked, when it was called, and, if it
 * returned, when and with which output.
 *
 * <p>An operation that never returned is <em>pending</em> ({@link #returnTime()} is {@link #PENDING},
 * {@link #output()} is {@code null}): its outcome is unknown, so it may have taken effect at any
 * instant after its call or not at all. Record a Jepsen {@code :info} result, a client timeout and
 * a crashed client this way. An operation that is known not to have happened (Jepsen's
 * {@code :fail} on a write) does not belong in the history at all.
 *
 * <p>Times are any monotonic clock of the recorder (nanoseconds, a log line number); only their
 * order matters. Two events with the same time are taken as concurrent. Immutable and thread-safe
 * if the input and output are.
 *
 * @param clientId   the client (Jepsen process) that issued the operation
 * @param input      what the client asked, never null
 * @param callTime   when the client issued the call
 * @param returnTime when the response arrived, {@code >= callTime}, or {@link #PENDING}
 * @param output     the response; {@code null} exactly when the operation is pending
 * @param <I>        the model's input type
 * @param <O>        the model's output type
 */
public record Operation<I, O>(int clientId, I input, long callTime, long returnTime, O output) {
    /** The return time of an operation that never returned. */
    public static final long PENDING = Long.MAX_VALUE;

    /** Validates the invariants above. */
    public Operation {
        Objects.requireNonNull(input, "input");
        if (returnTime < callTime) {
            throw new IllegalArgumentException("lincheck: operation returns at " + returnTime + " before its call at " + callTime);
        }
        if ((returnTime == PENDING) != (output == null)) {
            throw new IllegalArgumentException("lincheck: an operation has an output exactly when it returned: " + input);
        }
    }

    /** An operation that returned {@code output} at {@code returnTime}. */
    public static <I, O> Operation<I, O> completed(int clientId, I input, long callTime, long returnTime, O output) {
        return new Operation<>(clientId, input, callTime, returnTime, Objects.requireNonNull(output, "output"));
    }

    /** An operation called at {@code callTime} whose outcome is unknown. */
    public static <I, O> Operation<I, O> pending(int clientId, I input, long callTime) {
        return new Operation<>(clientId, input, callTime, PENDING, null);
    }

    /** Whether the operation never returned, so its outcome is unknown. */
    public boolean pending() {
        return returnTime == PENDING;
    }

    @Override
    public String toString() {
        String end = pending() ? "pending" : Long.toString(returnTime);
        return "client " + clientId + " [" + callTime + ", " + end + "] " + input + " -> " + (pending() ? "?" : output);
    }
}
