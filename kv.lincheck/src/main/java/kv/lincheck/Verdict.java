package kv.lincheck;

/** The answer of a linearizability check. */
public enum Verdict {
    /** Some order of the operations, consistent with real time, is legal in the model. */
    LINEARIZABLE,
    /** No such order exists: the history shows a consistency violation. */
    NOT_LINEARIZABLE,
    /** The search ran out of time before deciding. */
    UNKNOWN
}
