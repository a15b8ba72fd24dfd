package kv.lincheck;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sequential specification that a history is checked against: an initial state and a transition
 * function that says whether an operation with a given output is legal in a state and what state it
 * leads to.
 *
 * <p>States must be immutable values: the checker memoizes every (set of linearized operations,
 * state) pair it has explored and compares states with {@link #sameState} and {@link #stateHash}
 * (by default {@code equals} and {@code hashCode}, so records work as they are). Implementations
 * must be deterministic and free of side effects; the checker may call them from several threads
 * at once, one partition per thread.
 *
 * @param <S> the state type (immutable)
 * @param <I> the operation input type
 * @param <O> the operation output type
 */
public interface Model<S, I, O> {

    /** The state before any operation. */
    S init();

    /**
     * The state after {@code input} took effect in {@code state} and produced {@code output}, or
     * empty if the model could not have produced that output in that state.
     */
    Optional<S> step(S state, I input, O output);

    /**
     * The state after {@code input} took effect in {@code state} when nobody saw its output (the
     * operation is pending), or empty if the operation cannot take effect in that state at all.
     */
    Optional<S> stepUnobserved(S state, I input);

    /**
     * Whether the operation, with this output, leaves every state in which it is legal unchanged
     * (a read, a compare-and-set that failed). The checker then places it as soon as it is legal
     * instead of trying it at every later point, which shrinks the search a lot; answering
     * {@code true} wrongly makes the checker reject linearizable histories. The default is false.
     */
    default boolean readOnly(I input, O output) {
        return false;
    }

    /**
     * Splits a history into independent sub-histories (for example one per key) that are checked
     * alone: the whole is linearizable exactly when every part is. The default is no split. Each
     * part must keep the order of the operations it receives.
     */
    default List<List<Operation<I, O>>> partition(List<Operation<I, O>> history) {
        return List.of(history);
    }

    /** State equality for memoization. */
    default boolean sameState(S a, S b) {
        return Objects.equals(a, b);
    }

    /** State hash for memoization, consistent with {@link #sameState}. */
    default int stateHash(S state) {
        return Objects.hashCode(state);
    }

    /** A human-readable operation for explanations; {@code output} is null for a pending operation. */
    default String describe(I input, O output) {
        return input + " -> " + (output == null ? "?" : output);
    }

    /** A human-readable state for explanations. */
    default String describeState(S state) {
        return String.valueOf(state);
    }
}
