package kv.raft.sim;

import java.util.Arrays;
import java.util.List;
import kv.raft.MemoryStorage;
import kv.raft.RawNode;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/**
 * One simulated member: its durable storage (what survives a crash), the running RawNode (absent
 * while crashed), and the bookkeeping the safety checks need. Owned by one {@link Simulation}.
 */
final class SimNode {
    final long id;
    /** The durable store: only what a Ready asked to persist is written here. */
    final MemoryStorage storage;
    /** The running incarnation; null while crashed or after decommissioning. */
    RawNode raw;
    boolean decommissioned;
    /** Index of the committed conf change that removed this node (0: not removed). */
    long removedAt;
    /** The voters of the configuration that removed it. */
    List<Long> removedBy = List.of();
    /** Tick at which a crashed node restarts. */
    long restartAt;
    int incarnation;
    /** Highest index the (durable) state machine applied, across incarnations. */
    long applied;
    /** Last index delivered to the state machine in this incarnation (re-deliveries included). */
    long applyCursor;
    /** Highest commit index seen in this incarnation. */
    long lastCommit;
    /** The term this node was last seen leading at a step end (0: not leading then). */
    long ledTerm;
    /** The membership as of {@link #applyCursor} (what a snapshot taken there must carry). */
    ConfState confState = ConfState.getDefaultInstance();
    /** The hard state as persisted. */
    HardState persistedHs = HardState.getDefaultInstance();
    /** Bumps whenever a write replaced already persisted entries (a truncated suffix). */
    long truncations;
    /** prefix[i - 1] = hash of the persisted log entries 1..i; valid up to {@link #stableLast}. */
    private long[] prefix = new long[64];
    long stableLast;

    SimNode(long id, MemoryStorage storage) {
        this.id = id;
        this.storage = storage;
    }

    boolean up() {
        return raw != null;
    }

    long prefixHash(long index) {
        return index == 0 ? 0 : prefix[(int) (index - 1)];
    }

    /** Records entries just persisted (which replace index first..); returns their prefix hashes. */
    long recordPersisted(Entry e) {
        long i = e.getIndex();
        if (i <= stableLast) {
            truncations++;
        }
        if (i > prefix.length) {
            prefix = Arrays.copyOf(prefix, Math.max(prefix.length * 2, (int) i));
        }
        long h = chain(prefixHash(i - 1), e);
        prefix[(int) (i - 1)] = h;
        stableLast = i;
        return h;
    }

    /** Records an installed snapshot: the log now ends at {@code index}, whose prefix hash it carried. */
    void recordSnapshot(long index, long prefixHash) {
        truncations++;
        if (index > prefix.length) {
            prefix = Arrays.copyOf(prefix, Math.max(prefix.length * 2, (int) index));
        }
        prefix[(int) (index - 1)] = prefixHash;
        stableLast = index;
    }

    /** The hash of a log prefix extended by {@code e}. */
    static long chain(long prefixHash, Entry e) {
        return mix(prefixHash * 0x9E3779B97F4A7C15L + fingerprint(e));
    }

    static long fingerprint(Entry e) {
        long h = e.getTerm();
        h = h * 31 + e.getType().getNumber();
        h = h * 1_000_003L + e.getData().hashCode();
        return h * 31 + e.getData().size();
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
