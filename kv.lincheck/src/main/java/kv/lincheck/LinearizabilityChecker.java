package kv.lincheck;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;

/**
 * Decides whether a history of concurrent operations is linearizable with respect to a
 * {@link Model}: whether the operations can be put in one sequential order that respects real time
 * (an operation that returned before another was called comes first) and in which every output is
 * the one the model gives.
 *
 * <p>The history is first split with {@link Model#partition}; each part is searched alone with
 * Wing and Gong's algorithm, Lowe's just-in-time linearization and memoization of (set of
 * linearized operations, state) pairs (the approach of Porcupine). The parts' searches take turns
 * on the calling thread, and the check stops at the first part found not linearizable. Pending operations (see {@link Operation}) may be placed anywhere after
 * their call or left out.
 *
 * <p>Stateless; {@link #check} may be called from several threads at once. A check uses memory in
 * proportion to the configurations it explores, which the timeout bounds.
 */
public final class LinearizabilityChecker {
    /** Search steps of each partition's first turn; later turns double it. */
    private static final long FIRST_BUDGET = 10_000;
    private static final long MAX_BUDGET = 1L << 40;

    private LinearizabilityChecker() {}

    /**
     * Checks {@code history} against {@code model}, giving up with {@link Verdict#UNKNOWN} after
     * {@code timeout}.
     *
     * @param history operations in any order, each with its call and return time
     * @param timeout positive bound on the whole check
     */
    public static <S, I, O> Result<I, O> check(Model<S, I, O> model, List<Operation<I, O>> history, Duration timeout) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(history, "history");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("lincheck: timeout must be positive, got " + timeout);
        }
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        List<List<Operation<I, O>>> parts = model.partition(history);
        Map<Integer, PartitionSearch<S, I, O>> undecided = new LinkedHashMap<>();
        for (int p = 0; p < parts.size(); p++) {
            undecided.put(p, new PartitionSearch<>(model, parts.get(p), deadline));
        }
        // Refuting a partition can take exponentially longer than refuting another, so the searches
        // take turns with growing budgets: the check ends as soon as the easiest violation is found.
        for (long budget = FIRST_BUDGET; !undecided.isEmpty(); budget = Math.min(budget * 2, MAX_BUDGET)) {
            for (Iterator<Map.Entry<Integer, PartitionSearch<S, I, O>>> it = undecided.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Integer, PartitionSearch<S, I, O>> entry = it.next();
                PartitionSearch<S, I, O> search = entry.getValue();
                Optional<PartitionSearch.Outcome> outcome = search.advance(budget);
                if (outcome.isEmpty()) {
                    continue;
                }
                switch (outcome.get()) {
                    case LINEARIZABLE -> it.remove();
                    case NOT_LINEARIZABLE -> {
                        return search.counterexample(entry.getKey());
                    }
                    case TIMED_OUT -> {
                        return new Result.Unknown<>(entry.getKey(), parts.get(entry.getKey()).size(), search.explored());
                    }
                }
            }
        }
        return new Result.Linearizable<>(parts.size(), history.size());
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
