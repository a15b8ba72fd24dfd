package kv.lincheck;

import java.util.List;
import java.util.Optional;

/**
 * The definition of linearizability, searched naively: try every order of the operations that
 * respects real time, with each pending operation placed somewhere or left out. Exponential; for
 * cross-checking the real checker on histories of a handful of operations.
 */
final class BruteForce {
    private BruteForce() {}

    static <S, I, O> boolean linearizable(Model<S, I, O> model, List<Operation<I, O>> history) {
        for (List<Operation<I, O>> part : model.partition(history)) {
            if (!extend(model, part, new boolean[part.size()], model.init())) {
                return false;
            }
        }
        return true;
    }

    private static <S, I, O> boolean extend(Model<S, I, O> model, List<Operation<I, O>> ops, boolean[] placed, S state) {
        boolean allCompletedPlaced = true;
        for (int i = 0; i < ops.size(); i++) {
            allCompletedPlaced &= placed[i] || ops.get(i).pending();
        }
        if (allCompletedPlaced) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (placed[i] || !mayGoNext(ops, placed, i)) {
                continue;
            }
            Operation<I, O> op = ops.get(i);
            Optional<S> after = op.pending() ? model.stepUnobserved(state, op.input()) : model.step(state, op.input(), op.output());
            if (after.isPresent()) {
                placed[i] = true;
                boolean ok = extend(model, ops, placed, after.get());
                placed[i] = false;
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    /** No unplaced operation returned strictly before op i was called. */
    private static <I, O> boolean mayGoNext(List<Operation<I, O>> ops, boolean[] placed, int i) {
        for (int j = 0; j < ops.size(); j++) {
            if (!placed[j] && j != i && ops.get(j).returnTime() < ops.get(i).callTime()) {
                return false;
            }
        }
        return true;
    }
}
