package kv.lincheck;

import java.util.List;

/**
 * The outcome of {@link LinearizabilityChecker#check}: linearizable, not linearizable with a
 * counterexample, or unknown because the time ran out. Immutable values.
 *
 * @param <I> the model's input type
 * @param <O> the model's output type
 */
public sealed interface Result<I, O> permits Result.Linearizable, Result.NotLinearizable, Result.Unknown {

    /** The verdict this result stands for. */
    Verdict verdict();

    /** A human-readable account of the result, several lines for a violation. */
    String explanation();

    /**
     * Every partition of the history has a legal sequential order.
     *
     * @param partitions how many independent sub-histories were checked
     * @param operations how many operations they held in all
     */
    record Linearizable<I, O>(int partitions, int operations) implements Result<I, O> {
        @Override
        public Verdict verdict() {
            return Verdict.LINEARIZABLE;
        }

        @Override
        public String explanation() {
            return "linearizable: " + operations + " operations in " + partitions + " partitions";
        }
    }

    /**
     * One partition has no legal sequential order. The search's deepest point is reported: the
     * legal prefix of a linearization with the most completed operations it found, the model state
     * after it, and the completed operations of which one would have had to come next, each of them
     * impossible in that state (an operation whose response had already arrived cannot be postponed
     * further, and pending ones cannot help).
     *
     * @param partition     index of the failing partition in {@link Model#partition} order
     * @param history       the failing partition's operations
     * @param longestPrefix the longest legal order of operations the search found, in order
     * @param stateAfter    the model state after {@code longestPrefix}, described by the model
     * @param unplaced      the completed operations that could come next in real time, none legal in {@code stateAfter}
     * @param explanation   the same, as text with the model's descriptions of operations
     */
    record NotLinearizable<I, O>(int partition, List<Operation<I, O>> history, List<Operation<I, O>> longestPrefix,
            String stateAfter, List<Operation<I, O>> unplaced, String explanation) implements Result<I, O> {
        /** Copies the lists. */
        public NotLinearizable {
            history = List.copyOf(history);
            longestPrefix = List.copyOf(longestPrefix);
            unplaced = List.copyOf(unplaced);
        }

        @Override
        public Verdict verdict() {
            return Verdict.NOT_LINEARIZABLE;
        }
    }

    /**
     * The time ran out before every partition was decided; none was found not linearizable.
     *
     * @param partition  index of the partition being searched when time ran out
     * @param operations how many operations that partition has
     * @param explored   how many distinct (linearized set, state) configurations were explored in it
     */
    record Unknown<I, O>(int partition, int operations, long explored) implements Result<I, O> {
        @Override
        public Verdict verdict() {
            return Verdict.UNKNOWN;
        }

        @Override
        public String explanation() {
            return "unknown: timed out in partition " + partition + " (" + operations + " operations) after exploring "
                    + explored + " configurations";
        }
    }
}
