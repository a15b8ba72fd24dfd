package kv.lincheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The configurations a {@link PartitionSearch} has visited. A configuration is the set of completed
 * operations linearized, the set of pending operations linearized, and the model state.
 *
 * <p>Besides exact repeats, a configuration is <em>subsumed</em> by a visited one with the same
 * completed set and state but fewer pending operations placed: pending operations are optional
 * and never bound real-time order, so whatever completes the larger configuration also completes
 * the smaller one, which the search has explored or is exploring. Without this, every pending
 * operation would double the configurations a refutation must visit.
 *
 * <p>The live sets are updated in place as the search moves; {@link #visit} stores a compact copy.
 * Not thread-safe.
 */
final class Explored<S> {
    private final Model<S, ?, ?> model;
    private final long[] zobrist;
    /** Live set of completed operations placed, by return order: see {@link #watermark}. */
    private final long[] completed;
    private final long[] pending;
    private long completedHash;
    /**
     * How many completed operations, in return order, are all placed. Configurations store only
     * this count and the few placed operations beyond it (at most about one per client: an
     * operation can only be placed before the first unplaced response), not the whole set.
     */
    private int watermark;
    private int completedPlaced;
    private final Map<Key, List<long[]>> visited = new HashMap<>();
    private long size;

    Explored(Model<S, ?, ?> model, int completedCount, int pendingCount) {
        this.model = model;
        zobrist = new long[completedCount];
        SplittableRandom random = new SplittableRandom(0x5eed_11ca_1ab1eL);
        for (int i = 0; i < completedCount; i++) {
            zobrist[i] = random.nextLong();
        }
        completed = new long[words(completedCount)];
        pending = new long[words(pendingCount)];
    }

    private static int words(int bits) {
        return (bits + 63) >>> 6;
    }

    /** Flips completed operation {@code ordinal}, its rank in return order. */
    void toggleCompleted(int ordinal) {
        completed[ordinal >>> 6] ^= 1L << ordinal;
        completedHash ^= zobrist[ordinal];
        if (isPlaced(ordinal)) {
            completedPlaced++;
            while (watermark < zobrist.length && isPlaced(watermark)) {
                watermark++;
            }
        } else {
            completedPlaced--;
            watermark = Math.min(watermark, ordinal);
        }
    }

    private boolean isPlaced(int ordinal) {
        return (completed[ordinal >>> 6] & (1L << ordinal)) != 0;
    }

    /** The placed completed operations beyond the watermark. */
    private int[] beyondWatermark() {
        int[] beyond = new int[completedPlaced - watermark];
        int found = 0;
        for (int w = watermark >>> 6; found < beyond.length; w++) {
            long word = w == watermark >>> 6 ? completed[w] & (-1L << watermark) : completed[w];
            while (word != 0) {
                beyond[found++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return beyond;
    }

    void togglePending(int ordinal) {
        pending[ordinal >>> 6] ^= 1L << ordinal;
    }

    /** Records the current sets with {@code state}; false if a visited configuration equals or subsumes it. */
    boolean visit(S state) {
        long h = completedHash ^ (model.stateHash(state) * 0x9E3779B97F4A7C15L);
        Key probe = new Key(watermark, beyondWatermark(), state, (int) (h ^ (h >>> 32)));
        List<long[]> pendingSets = visited.get(probe);
        if (pendingSets == null) {
            pendingSets = new ArrayList<>(1);
            visited.put(probe, pendingSets);
        } else {
            for (long[] placed : pendingSets) {
                if (subset(placed, pending)) {
                    return false;
                }
            }
            // Visited sets that contain the new one are subsumed by it from now on.
            for (Iterator<long[]> it = pendingSets.iterator(); it.hasNext(); ) {
                if (subset(pending, it.next())) {
                    it.remove();
                }
            }
        }
        pendingSets.add(pending.clone());
        size++;
        return true;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & ~b[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** How many configurations were recorded. */
    long size() {
        return size;
    }

    private final class Key {
        final int watermark;
        final int[] beyond;
        final S state;
        final int hash;

        Key(int watermark, int[] beyond, S state, int hash) {
            this.watermark = watermark;
            this.beyond = beyond;
            this.state = state;
            this.hash = hash;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Explored<?>.Key other && other.hash == hash && other.watermark == watermark
                    && Arrays.equals(other.beyond, beyond)
                    && model.sameState(state, castState(other.state));
        }
    }

    @SuppressWarnings("unchecked")
    private S castState(Object state) {
        return (S) state;
    }
}
