package kv.lincheck;

import java.util.List;

/** Renders counterexamples as text with the model's own descriptions. Stateless. */
final class Explanations {
    /** Prefix operations shown in full; earlier ones are counted, not listed. */
    static final int PREFIX_SHOWN = 30;

    private Explanations() {}

    static <S, I, O> String notLinearizable(Model<S, I, O> model, int partition, int operations,
            List<Operation<I, O>> prefix, String stateAfter, List<Operation<I, O>> unplaced) {
        StringBuilder b = new StringBuilder();
        b.append("not linearizable: partition ").append(partition).append(" (").append(operations).append(" operations)\n");
        b.append("longest linearizable prefix found: ").append(prefix.size()).append(" operations");
        int skipped = Math.max(0, prefix.size() - PREFIX_SHOWN);
        if (skipped > 0) {
            b.append(", the first ").append(skipped).append(" not shown");
        }
        b.append('\n');
        for (int k = skipped; k < prefix.size(); k++) {
            b.append("  ").append(k + 1).append(". ").append(line(model, prefix.get(k))).append('\n');
        }
        b.append("state after it: ").append(stateAfter).append('\n');
        b.append("none of these completed operations, one of which had to come next, is legal in that state:\n");
        for (Operation<I, O> op : unplaced) {
            b.append("  ").append(line(model, op)).append('\n');
        }
        return b.toString();
    }

    private static <S, I, O> String line(Model<S, I, O> model, Operation<I, O> op) {
        String end = op.pending() ? "pending" : Long.toString(op.returnTime());
        return "client " + op.clientId() + " [" + op.callTime() + ", " + end + "] " + model.describe(op.input(), op.output());
    }
}
