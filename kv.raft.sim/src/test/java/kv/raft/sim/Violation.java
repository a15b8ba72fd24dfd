package kv.raft.sim;

import java.util.Objects;

/**
 * A broken invariant found by the simulator: which one, when (seed and step), and a compact report
 * (the involved nodes and their logs) to start debugging from. Immutable.
 *
 * @param kind the invariant that broke
 * @param seed the seed of the run, which reproduces it exactly
 * @param step the logical tick at which it was detected
 * @param detail what was seen, human readable
 * @param report the involved nodes' state (logs, hard states), multi-line
 */
public record Violation(Kind kind, long seed, long step, String detail, String report) {

    /** The invariants the simulator checks. */
    public enum Kind {
        /** Two leaders in one term (over the whole history). */
        ELECTION_SAFETY,
        /** Two stable logs agree on an entry's (index, term) but differ before it. */
        LOG_MATCHING,
        /** A leader's log lacks an entry committed in an earlier term. */
        LEADER_COMPLETENESS,
        /** Two nodes applied different entries at one index, or a node applied out of order. */
        STATE_MACHINE_SAFETY,
        /** A node's commit index went backwards, or restarted below what it had applied. */
        COMMIT_MONOTONICITY,
        /** A leader advanced its commit index to an entry of an earlier term (§5.4.2). */
        COMMIT_RULE,
        /** Durable state broke a rule: term went back, vote changed within a term, log terms decrease. */
        DURABILITY,
        /** The node itself detected a broken invariant and threw (raft's equivalent of a panic). */
        NODE_PANIC,
        /**
         * A read index below an entry some node had applied when the read was asked: a read served
         * there would miss a write that may have been acknowledged (§6.4).
         */
        STALE_READ,
        /** After the faults healed, a proposal did not commit on a majority in time. */
        LIVENESS
    }

    public Violation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(report, "report");
    }

    /** The compact failure report: seed, step, invariant, detail and the involved nodes' logs. */
    public String describe() {
        return "VIOLATION " + kind + " seed=" + seed + " step=" + step + ": " + detail + "\n" + report;
    }
}
