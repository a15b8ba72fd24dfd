package kv.raft.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kv.raft.Status;
import kv.raft.StateRole;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/**
 * The invariants of raft, checked against everything the simulation observes. Each check throws
 * {@link Failure} carrying the {@link Violation}; the simulation stops at the first one.
 *
 * <p>History is global and survives crashes: leaders per term, every (index, term) ever persisted
 * with the hash of the log prefix it ended, and the sequence of entries applied by anyone.
 */
final class SafetyChecker {

    /** Thrown to stop the run at the first violation. */
    static final class Failure extends RuntimeException {
        final Violation violation;

        Failure(Violation v) {
            super(v.describe(), null, false, false);
            this.violation = v;
        }
    }

    /** An applied entry and the lowest term of a node that applied it (an upper bound on its commit term). */
    private static final class Committed {
        final Entry entry;
        long boundTerm;

        Committed(Entry entry, long boundTerm) {
            this.entry = entry;
            this.boundTerm = boundTerm;
        }
    }

    private record IndexTerm(long index, long term) {}

    private record LeaderCheck(long term, long committedVersion, long truncations) {}

    private final long seed;
    private final boolean strictChecks;
    private final Function<List<Long>, String> reporter;
    private long step;
    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    private final Map<IndexTerm, Long> prefixOf = new HashMap<>();
    private final List<Committed> committed = new ArrayList<>();
    /** committedPrefix[i - 1]: hash of the committed entries 1..i, as {@link SimNode#chain} makes it. */
    private long[] committedPrefix = new long[256];
    private long committedVersion;
    private final Map<Long, LeaderCheck> lastLeaderCheck = new HashMap<>();

    SafetyChecker(long seed, boolean strictChecks, Function<List<Long>, String> reporter) {
        this.seed = seed;
        this.strictChecks = strictChecks;
        this.reporter = reporter;
    }

    void atStep(long step) {
        this.step = step;
    }

    long leaderTerms() {
        return leaderOfTerm.size();
    }

    int committedCount() {
        return committed.size();
    }

    Entry committedAt(long index) {
        return index >= 1 && index <= committed.size() ? committed.get((int) index - 1).entry : null;
    }

    Failure fail(Violation.Kind kind, String detail, List<Long> nodes) {
        return new Failure(new Violation(kind, seed, step, detail, reporter.apply(nodes)));
    }

    /**
     * Linearizable reads: a read index handed to {@code node} for a read asked by {@code asker} when
     * entries up to {@code floor} had been applied somewhere is at least {@code floor}, and reaches the
     * node that asked.
     */
    void readAnswered(long node, long asker, long floor, long index) {
        if (node != asker) {
            throw fail(Violation.Kind.STALE_READ, "node " + node + " got the read index of a read node " + asker + " asked",
                    List.of(node, asker));
        }
        if (index < floor) {
            throw fail(Violation.Kind.STALE_READ, "node " + node + " got read index " + index + " for a read asked when entries up to "
                    + floor + " had been applied", List.of(node));
        }
    }

    /** Election safety: {@code id} acted as leader in {@code term} (seen in its messages or status). */
    void leaderSeen(long term, long id, String how) {
        Long prev = leaderOfTerm.putIfAbsent(term, id);
        if (prev != null && prev != id) {
            throw fail(Violation.Kind.ELECTION_SAFETY, "two leaders in term " + term + ": " + prev + " and " + id
                    + " (" + how + ")", List.of(prev, id));
        }
    }

    /** Durable hard state rules, checked when a Ready's hard state is persisted. */
    void hardStatePersisted(SimNode n, HardState next) {
        HardState prev = n.persistedHs;
        if (next.getCommit() < prev.getCommit()) {
            throw fail(Violation.Kind.COMMIT_MONOTONICITY, "node " + n.id + " persisted commit " + next.getCommit()
                    + " below its persisted " + prev.getCommit(), List.of(n.id));
        }
        if (!strictChecks) {
            return;
        }
        if (next.getTerm() < prev.getTerm()) {
            throw fail(Violation.Kind.DURABILITY, "node " + n.id + " persisted term " + next.getTerm()
                    + " after " + prev.getTerm(), List.of(n.id));
        }
        if (next.getTerm() == prev.getTerm() && prev.getVote() != 0 && next.getVote() != prev.getVote()) {
            throw fail(Violation.Kind.DURABILITY, "node " + n.id + " changed its vote in term " + next.getTerm()
                    + " from " + prev.getVote() + " to " + next.getVote(), List.of(n.id));
        }
    }

    /** Durability of a granted vote: it must already be on disk when the response leaves. */
    void voteGranted(SimNode n, long term, long candidate) {
        // A later term on disk is as good: the node can never vote in the granted term again.
        HardState hs = n.persistedHs;
        if (strictChecks && (hs.getTerm() < term || (hs.getTerm() == term && hs.getVote() != candidate))) {
            throw fail(Violation.Kind.DURABILITY, "node " + n.id + " granted its vote to " + candidate + " in term " + term
                    + " but persisted " + brief(hs), List.of(n.id, candidate));
        }
    }

    /** Log matching on stable logs, checked for each entry as it is persisted (in index order). */
    void entryPersisted(SimNode n, Entry e, long prefixHash, long prevTerm) {
        if (strictChecks && e.getTerm() < prevTerm) {
            throw fail(Violation.Kind.DURABILITY, "node " + n.id + " persisted entry " + e.getIndex() + " of term "
                    + e.getTerm() + " after an entry of term " + prevTerm, List.of(n.id));
        }
        Long prev = prefixOf.putIfAbsent(new IndexTerm(e.getIndex(), e.getTerm()), prefixHash);
        if (prev != null && prev != prefixHash) {
            throw fail(Violation.Kind.LOG_MATCHING, "node " + n.id + " persisted (index " + e.getIndex() + ", term "
                    + e.getTerm() + ") with a log prefix that differs from an earlier log holding the same pair",
                    List.of(n.id));
        }
    }

    long committedPrefix(long index) {
        return index == 0 ? 0 : committedPrefix[(int) index - 1];
    }

    /**
     * A snapshot at {@code index} carrying the log prefix hash {@code prefixHash} is installed:
     * it must be exactly the committed (applied) entries up to there, and it takes part in log
     * matching as the pair (index, term).
     */
    void snapshotInstalled(SimNode n, long index, long term, long prefixHash) {
        if (index > committed.size() || committedPrefix(index) != prefixHash) {
            throw fail(Violation.Kind.STATE_MACHINE_SAFETY, "node " + n.id + " installed a snapshot at " + index + "@" + term
                    + " that is not the applied history up to there (" + committed.size() + " entries applied anywhere)",
                    List.of(n.id));
        }
        Long prev = prefixOf.putIfAbsent(new IndexTerm(index, term), prefixHash);
        if (prev != null && prev != prefixHash) {
            throw fail(Violation.Kind.LOG_MATCHING, "node " + n.id + " installed a snapshot at (index " + index + ", term "
                    + term + ") whose history differs from a log holding the same pair", List.of(n.id));
        }
    }

    /** State-machine safety: {@code n} (at term {@code nodeTerm}) applies {@code e}. */
    void applied(SimNode n, Entry e, long nodeTerm) {
        long i = e.getIndex();
        if (i != n.applyCursor + 1) {
            throw fail(Violation.Kind.STATE_MACHINE_SAFETY, "node " + n.id + " applied index " + i + " after "
                    + n.applyCursor, List.of(n.id));
        }
        n.applyCursor = i;
        if (i <= committed.size()) {
            Committed c = committed.get((int) i - 1);
            if (!c.entry.equals(e)) {
                throw fail(Violation.Kind.STATE_MACHINE_SAFETY, "node " + n.id + " applied " + brief(e) + " at index " + i
                        + " where " + brief(c.entry) + " was applied before", List.of(n.id));
            }
            if (nodeTerm < c.boundTerm) {
                c.boundTerm = nodeTerm;
                committedVersion++;
            }
        } else if (i == committed.size() + 1) {
            committed.add(new Committed(e, nodeTerm));
            if (i > committedPrefix.length) {
                committedPrefix = Arrays.copyOf(committedPrefix, committedPrefix.length * 2);
            }
            committedPrefix[(int) i - 1] = SimNode.chain(committedPrefix(i - 1), e);
            committedVersion++;
        } else {
            throw fail(Violation.Kind.STATE_MACHINE_SAFETY, "node " + n.id + " applied index " + i
                    + " but nothing was ever applied at " + (committed.size() + 1), List.of(n.id));
        }
        n.applied = Math.max(n.applied, i);
    }

    /** Per-node checks at the end of a step, on a running node. */
    void stepEnded(SimNode n, Status st) {
        if (st.commit() < n.lastCommit) {
            throw fail(Violation.Kind.COMMIT_MONOTONICITY, "node " + n.id + " commit went from " + n.lastCommit
                    + " to " + st.commit(), List.of(n.id));
        }
        if (st.commit() < n.applyCursor) {
            throw fail(Violation.Kind.COMMIT_MONOTONICITY, "node " + n.id + " has commit " + st.commit()
                    + " below the index " + n.applyCursor + " it applied", List.of(n.id));
        }
        long prevCommit = n.lastCommit;
        n.lastCommit = st.commit();
        if (st.role() == StateRole.LEADER) {
            leaderSeen(st.term(), n.id, "status");
            leaderComplete(n, st.term());
            commitRule(n, st, prevCommit);
        } else {
            n.ledTerm = 0;
        }
    }

    /**
     * The commitment rule (§5.4.2): while leading a term, a leader moves its commit index only to an
     * entry of that term (earlier entries are committed indirectly). Seen at step granularity.
     */
    private void commitRule(SimNode n, Status st, long prevCommit) {
        boolean sameReign = n.ledTerm == st.term();
        n.ledTerm = st.term();
        if (!strictChecks || !sameReign || st.commit() <= prevCommit) {
            return;
        }
        long t = n.storage.term(st.commit());
        if (t != st.term()) {
            throw fail(Violation.Kind.COMMIT_RULE, "leader " + n.id + " of term " + st.term() + " advanced its commit from "
                    + prevCommit + " to " + st.commit() + ", an entry of term " + t, List.of(n.id));
        }
    }

    /** After a restart the node's commit restarts from the persisted one: it must cover what it applied. */
    void restarted(SimNode n, Status st) {
        if (st.commit() < n.applied) {
            throw fail(Violation.Kind.COMMIT_MONOTONICITY, "node " + n.id + " restarted with commit " + st.commit()
                    + " below its applied index " + n.applied, List.of(n.id));
        }
        n.lastCommit = st.commit();
        n.ledTerm = 0;
    }

    /**
     * Leader completeness: every entry applied somewhere by a node of a term below the leader's
     * (so committed in a term below it) is in the leader's log. Checked on the stable log, which at
     * the end of a step holds all the leader's entries.
     */
    private void leaderComplete(SimNode n, long term) {
        LeaderCheck key = new LeaderCheck(term, committedVersion, n.truncations);
        if (key.equals(lastLeaderCheck.get(n.id))) {
            return;
        }
        lastLeaderCheck.put(n.id, key);
        long last = n.storage.lastIndex();
        long compacted = n.storage.firstIndex() - 1;
        long snap = n.storage.snapshot().getMetadata().getIndex();
        if (snap > 0 && snap <= committed.size() && n.prefixHash(snap) != committedPrefix(snap)) {
            throw fail(Violation.Kind.LEADER_COMPLETENESS, "leader " + n.id + " of term " + term + " holds a snapshot at "
                    + snap + " that differs from the committed entries up to there", List.of(n.id));
        }
        for (int k = (int) compacted; k < committed.size(); k++) {
            Committed c = committed.get(k);
            if (c.boundTerm >= term) {
                continue;
            }
            long i = k + 1L;
            long t = i <= last ? n.storage.term(i) : -1;
            if (t != c.entry.getTerm()) {
                throw fail(Violation.Kind.LEADER_COMPLETENESS, "leader " + n.id + " of term " + term + " lacks "
                        + brief(c.entry) + " at index " + i + " (committed by term " + c.boundTerm + "); it has "
                        + (t < 0 ? "nothing" : "term " + t) + " there", List.of(n.id));
            }
        }
    }

    static String brief(Entry e) {
        String data = e.getData().size() <= 16 ? e.getData().toStringUtf8() : e.getData().size() + "B";
        return "[" + e.getIndex() + "@" + e.getTerm() + (e.getTypeValue() != 0 ? " " + e.getType() : "") + " '" + data + "']";
    }

    static String brief(HardState hs) {
        return "{term " + hs.getTerm() + ", vote " + hs.getVote() + ", commit " + hs.getCommit() + "}";
    }
}
