package kv.lincheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether one partition of a history is linearizable: Wing and Gong's search with Lowe's
 * just-in-time linearization and memoization of (linearized set, state) pairs, as in Porcupine,
 * extended with subsumption for pending operations ({@link Explored}).
 *
 * <p>Calls and returns are kept in one time-ordered, doubly linked list. The search walks it from
 * the front: a call may be linearized now if the model accepts it in the current state; it is then
 * lifted out of the list together with its return, and the walk restarts. Meeting a return means
 * that operation's response arrived before it could be placed, so the last choice is undone
 * (backtracking). A configuration already explored is never explored again, which is what makes
 * the search practical. Pending operations return "at infinity": once every completed operation is
 * linearized the remaining pending ones are taken not to have happened.
 *
 * <p>The search is resumable ({@link #advance}) so that several partitions can take turns. Single
 * use, not thread-safe.
 */
final class PartitionSearch<S, I, O> {
    /** How the search ended. */
    enum Outcome { LINEARIZABLE, NOT_LINEARIZABLE, TIMED_OUT }

    private static final int DEADLINE_CHECK_MASK = 0xFFF;

    private final Model<S, I, O> model;
    private final List<Operation<I, O>> ops;
    private final long deadlineNanos;
    /** All entries in time order. Entry {@code 2i} is the call of op {@code i}, {@code 2i + 1} its return. */
    private final int[] order;
    private final int[] entryOp;
    private final boolean[] isCall;
    private final int[] partner;
    /** Linked list over entries; index {@link #head} is the sentinel. */
    private final int[] next;
    private final int[] prev;
    private final int head;
    /** Op i's index among the completed or among the pending operations. */
    private final int[] ordinal;
    private final int completedCount;
    private final Explored<S> explored;

    /** The search: the linearized calls in order, the states before each, the current state and list position. */
    private final int[] stackEntry;
    private final boolean[] stackForced;
    private final List<S> stackState;
    private int depth;
    private S state;
    private int cursor;
    /** Completed operations not yet linearized; the search succeeds when none is left. */
    private int remaining;

    private int bestCompleted;
    private int[] bestPrefix = new int[0];
    private S bestState;

    PartitionSearch(Model<S, I, O> model, List<Operation<I, O>> ops, long deadlineNanos) {
        this.model = model;
        this.ops = List.copyOf(ops);
        this.deadlineNanos = deadlineNanos;
        int n = this.ops.size();
        head = 2 * n;
        entryOp = new int[2 * n];
        isCall = new boolean[2 * n];
        partner = new int[2 * n];
        next = new int[2 * n + 1];
        prev = new int[2 * n + 1];
        order = sortedEntries();
        link();
        // Completed operations are numbered in return order, which lets Explored store sets compactly.
        ordinal = new int[n];
        int completed = 0;
        int pending = 0;
        for (int e : order) {
            Operation<I, O> op = this.ops.get(entryOp[e]);
            if (op.pending() && isCall[e]) {
                ordinal[entryOp[e]] = pending++;
            } else if (!op.pending() && !isCall[e]) {
                ordinal[entryOp[e]] = completed++;
            }
        }
        completedCount = completed;
        explored = new Explored<>(model, completed, pending);
        stackEntry = new int[n];
        stackForced = new boolean[n];
        stackState = new ArrayList<>(n);
        state = model.init();
        bestState = state;
        cursor = next[head];
        remaining = completedCount;
    }

    /** Entry 2i is the call of op i, 2i+1 its return; sorted by time, calls before returns at equal times. */
    private int[] sortedEntries() {
        int n = ops.size();
        Integer[] entries = new Integer[2 * n];
        for (int i = 0; i < n; i++) {
            entries[2 * i] = 2 * i;
            entries[2 * i + 1] = 2 * i + 1;
            entryOp[2 * i] = i;
            entryOp[2 * i + 1] = i;
            isCall[2 * i] = true;
            partner[2 * i] = 2 * i + 1;
            partner[2 * i + 1] = 2 * i;
        }
        Arrays.sort(entries, Comparator.<Integer>comparingLong(this::timeOf)
                .thenComparing(e -> isCall[e] ? 0 : 1)
                .thenComparingInt(e -> e));
        return Arrays.stream(entries).mapToInt(Integer::intValue).toArray();
    }

    private long timeOf(int entry) {
        Operation<I, O> op = ops.get(entryOp[entry]);
        return isCall[entry] ? op.callTime() : op.returnTime();
    }

    private void link() {
        int last = head;
        for (int e : order) {
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = head;
        prev[head] = last;
    }

    /**
     * Runs the search for at most about {@code budget} more steps: returns its outcome if it decided
     * or the deadline passed, or empty if the budget ran out first (call again to go on).
     */
    Optional<Outcome> advance(long budget) {
        for (long step = 1; step <= budget && remaining > 0; step++) {
            if ((step & DEADLINE_CHECK_MASK) == 0 && System.nanoTime() - deadlineNanos > 0) {
                return Optional.of(Outcome.TIMED_OUT);
            }
            boolean alive = isCall[cursor] ? stepAtCursor() : backtrack();
            if (!alive) {
                return Optional.of(Outcome.NOT_LINEARIZABLE);
            }
        }
        if (remaining == 0) {
            return Optional.of(Outcome.LINEARIZABLE);
        }
        return System.nanoTime() - deadlineNanos > 0 ? Optional.of(Outcome.TIMED_OUT) : Optional.empty();
    }

    /**
     * Tries to linearize the call at the cursor. If it is legal and leads to an unexplored
     * configuration it is placed and the walk restarts; otherwise the walk moves on.
     *
     * <p>A completed operation that is {@linkplain Model#readOnly read-only} (a read, a failed
     * compare-and-set) and legal now may as well be placed now: in any linearization that places it
     * later it can be moved here without changing the state seen by the operations in between, and
     * every operation that must precede it is already placed. (An operation that merely leaves this
     * state as it is, like writing the current value, does not qualify: later it might not.) So it
     * is the only choice tried at this point (a <em>forced</em> step), and if it fails, this point
     * fails. Returns false if the whole search failed.
     */
    private boolean stepAtCursor() {
        int i = entryOp[cursor];
        Operation<I, O> op = ops.get(i);
        Optional<S> after = op.pending() ? model.stepUnobserved(state, op.input()) : model.step(state, op.input(), op.output());
        if (after.isEmpty()) {
            cursor = next[cursor];
            return true;
        }
        if (op.pending() && model.sameState(state, after.get())) {
            // Placing a pending operation that changes nothing only takes away the option of placing
            // it later, where it might matter: leaving it out is never worse.
            cursor = next[cursor];
            return true;
        }
        boolean forced = !op.pending() && model.readOnly(op.input(), op.output());
        toggle(i);
        if (!explored.visit(after.get())) {
            toggle(i);
            if (forced) {
                return backtrack();
            }
            cursor = next[cursor];
            return true;
        }
        push(i, after.get(), forced);
        return true;
    }

    private void push(int i, S after, boolean forced) {
        stackEntry[depth] = cursor;
        stackForced[depth] = forced;
        stackState.add(state);
        depth++;
        state = after;
        lift(cursor);
        if (!ops.get(i).pending()) {
            remaining--;
        }
        maybeRecordBest();
        cursor = next[head];
    }

    /**
     * The current point failed (a completed operation's response arrived before it could be
     * placed, or a forced step failed): undoes the last choice and goes on with the next one,
     * undoing further while the undone step was forced. False if no choice is left. (Pending
     * returns sort last, so while a completed operation is unplaced the first return in the list is
     * a completed one's.)
     */
    private boolean backtrack() {
        while (depth > 0) {
            depth--;
            int call = stackEntry[depth];
            state = stackState.removeLast();
            int undone = entryOp[call];
            toggle(undone);
            unlift(call);
            if (!ops.get(undone).pending()) {
                remaining++;
            }
            if (!stackForced[depth]) {
                cursor = next[call];
                return true;
            }
        }
        return false;
    }

    private void toggle(int i) {
        if (ops.get(i).pending()) {
            explored.togglePending(ordinal[i]);
        } else {
            explored.toggleCompleted(ordinal[i]);
        }
    }

    /** Removes a call and its return from the list (dancing links: {@link #unlift} restores them). */
    private void lift(int call) {
        remove(call);
        remove(partner[call]);
    }

    private void unlift(int call) {
        restore(partner[call]);
        restore(call);
    }

    private void remove(int e) {
        next[prev[e]] = next[e];
        prev[next[e]] = prev[e];
    }

    private void restore(int e) {
        next[prev[e]] = e;
        prev[next[e]] = e;
    }

    /** Keeps the stack when it holds more completed operations than ever before. */
    private void maybeRecordBest() {
        if (completedCount - remaining <= bestCompleted) {
            return;
        }
        bestCompleted = completedCount - remaining;
        bestPrefix = new int[depth];
        for (int k = 0; k < depth; k++) {
            bestPrefix[k] = entryOp[stackEntry[k]];
        }
        bestState = state;
    }

    /** How many distinct configurations the search explored. */
    long explored() {
        return explored.size();
    }

    /** The deepest point of a search that ended {@link Outcome#NOT_LINEARIZABLE}, as a counterexample. */
    Result.NotLinearizable<I, O> counterexample(int partition) {
        List<Operation<I, O>> prefix = Arrays.stream(bestPrefix).mapToObj(ops::get).toList();
        List<Operation<I, O>> unplaced = candidatesAfterBest();
        String stateText = model.describeState(bestState);
        String text = Explanations.notLinearizable(model, partition, ops.size(), prefix, stateText, unplaced);
        return new Result.NotLinearizable<>(partition, ops, prefix, stateText, unplaced, text);
    }

    /**
     * The completed operations called before the first response still outstanding after the best
     * prefix. Each is illegal in the best state: a legal one would have led to a configuration with
     * more completed operations (visited, or subsumed by a visited one with as many).
     */
    private List<Operation<I, O>> candidatesAfterBest() {
        BitSet placed = new BitSet(ops.size());
        for (int i : bestPrefix) {
            placed.set(i);
        }
        List<Operation<I, O>> candidates = new ArrayList<>();
        for (int e : order) {
            if (placed.get(entryOp[e]) || ops.get(entryOp[e]).pending()) {
                continue;
            }
            if (!isCall[e]) {
                break;
            }
            candidates.add(ops.get(entryOp[e]));
        }
        return candidates;
    }
}
