package kv.mvcc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * The revisions of one key, as generations: a generation runs from the key's creation to its
 * deletion (whose tombstone revision is the generation's last) and the last generation is the
 * live one (empty after a deletion). Compaction drops revisions no read at or above the compact
 * revision can see.
 *
 * <p>Kept small because the store holds one per key in memory: revisions are packed into a
 * {@code long[]} of (main, sub) pairs and the modified revision is derived, not stored.
 *
 * <p>Not thread-safe: {@link TreeIndex} guards it.
 */
final class KeyIndex {
    private static final Generation[] NONE = new Generation[0];

    final byte[] key;
    private Generation[] gens = NONE;

    KeyIndex(byte[] key) {
        this.key = key;
    }

    /** What a read at some revision sees of the key: its modified and created revisions and version. */
    record Found(Revision modified, Revision created, long version) {}

    /** Records a put at (main, sub), which must be after every revision the key has. */
    void put(long main, long sub) {
        Revision mod = modified();
        if (mod != null && !new Revision(main, sub).isAfter(mod)) {
            throw new IllegalStateException("revision " + main + "." + sub + " is not after " + mod + " of key "
                    + printable());
        }
        if (gens.length == 0) {
            gens = new Generation[] {new Generation()};
        }
        Generation g = gens[gens.length - 1];
        if (g.n == 0) {
            g.createdMain = main;
            g.createdSub = sub;
        }
        g.add(main, sub);
        g.ver++;
    }

    /**
     * Records a deletion at (main, sub) and starts a new empty generation. Returns {@code false} and
     * changes nothing when the key is already deleted.
     */
    boolean tombstone(long main, long sub) {
        if (isEmpty()) {
            throw new IllegalStateException("tombstone on an empty key index " + printable());
        }
        if (gens[gens.length - 1].n == 0) {
            return false;
        }
        put(main, sub);
        gens = Arrays.copyOf(gens, gens.length + 1);
        gens[gens.length - 1] = new Generation();
        return true;
    }

    /** Rebuilds a key seen first at {@code modified} during restore, created at {@code created}. */
    void restore(Revision created, Revision modified, long version) {
        Generation g = new Generation();
        g.createdMain = created.main();
        g.createdSub = created.sub();
        g.ver = version;
        g.add(modified.main(), modified.sub());
        gens = new Generation[] {g};
    }

    /** What a read at {@code atRev} sees, or {@code null} when the key does not exist then. */
    Found get(long atRev) {
        Generation g = findGeneration(atRev);
        if (g == null) {
            return null;
        }
        int n = g.lastAtOrBelow(atRev);
        if (n < 0) {
            return null;
        }
        return new Found(g.rev(n), new Revision(g.createdMain, g.createdSub), g.ver - (g.n - n - 1));
    }

    /** The latest revision of the key (its tombstone when deleted), or {@code null} when it has none. */
    Revision modified() {
        for (int i = gens.length - 1; i >= 0; i--) {
            if (gens[i].n > 0) {
                return gens[i].rev(gens[i].n - 1);
            }
        }
        return null;
    }

    /**
     * Drops the revisions a read at or after {@code atRev} cannot see, adding to {@code available}
     * the revisions that must stay in the backend.
     */
    void compact(long atRev, Set<Revision> available) {
        if (isEmpty()) {
            throw new IllegalStateException("compact on an empty key index " + printable());
        }
        int[] at = doCompact(atRev, available);
        int genIdx = at[0];
        Generation g = gens[genIdx];
        if (g.n > 0) {
            if (at[1] != -1) {
                g.dropBefore(at[1]);
            }
            // a generation left with only its tombstone is gone entirely
            if (g.n == 1 && genIdx != gens.length - 1) {
                available.remove(g.rev(0));
                genIdx++;
            }
        }
        if (genIdx > 0) {
            gens = Arrays.copyOfRange(gens, genIdx, gens.length);
        }
    }

    /** Adds to {@code available} what {@link #compact} at {@code atRev} would keep, changing nothing. */
    void keep(long atRev, Set<Revision> available) {
        if (isEmpty()) {
            return;
        }
        int[] at = doCompact(atRev, available);
        Generation g = gens[at[0]];
        if (g.n > 0 && at[1] == g.n - 1 && at[0] != gens.length - 1) {
            available.remove(g.rev(at[1]));
        }
    }

    /** Whether nothing is left: one empty generation (or none). */
    boolean isEmpty() {
        return gens.length == 0 || (gens.length == 1 && gens[0].n == 0);
    }

    private int[] doCompact(long atRev, Set<Revision> available) {
        int genIdx = 0;
        Generation g = gens[0];
        // skip the generations that ended (tombstone) at or before atRev
        while (genIdx < gens.length - 1 && g.rev(g.n - 1).main() <= atRev) {
            genIdx++;
            g = gens[genIdx];
        }
        int revIndex = g.lastAtOrBelow(atRev);
        if (revIndex >= 0) {
            available.add(g.rev(revIndex));
        }
        return new int[] {genIdx, revIndex};
    }

    private Generation findGeneration(long rev) {
        int last = gens.length - 1;
        for (int cg = last; cg >= 0; cg--) {
            Generation g = gens[cg];
            if (g.n == 0) {
                continue;
            }
            if (cg != last && g.rev(g.n - 1).main() <= rev) {
                return null; // the key was deleted at or before rev
            }
            if (g.revs[0] <= rev) {
                return g;
            }
        }
        return null;
    }

    private String printable() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** The index as text, for golden files: {@code key [created 2.0 ver 2 revs 2.0 3.0] [empty]}. */
    String describe() {
        StringBuilder sb = new StringBuilder(printable());
        for (Generation g : gens) {
            sb.append(' ').append(g);
        }
        return sb.toString();
    }

    /** One generation: its version count, its creation and its (main, sub) revisions in order. */
    private static final class Generation {
        long ver;
        long createdMain;
        long createdSub;
        long[] revs = new long[2];
        int n;

        void add(long main, long sub) {
            if (2 * n == revs.length) {
                revs = Arrays.copyOf(revs, revs.length * 2);
            }
            revs[2 * n] = main;
            revs[2 * n + 1] = sub;
            n++;
        }

        Revision rev(int i) {
            return new Revision(revs[2 * i], revs[2 * i + 1]);
        }

        /** Index of the last revision with main <= atRev, or -1. */
        int lastAtOrBelow(long atRev) {
            for (int i = n - 1; i >= 0; i--) {
                if (revs[2 * i] <= atRev) {
                    return i;
                }
            }
            return -1;
        }

        void dropBefore(int i) {
            revs = Arrays.copyOfRange(revs, 2 * i, Math.max(2 * n, 2 * i + 2));
            n -= i;
        }

        @Override
        public String toString() {
            if (n == 0) {
                return "[empty]";
            }
            StringBuilder sb = new StringBuilder("[created " + createdMain + "." + createdSub + " ver " + ver + " revs");
            for (int i = 0; i < n; i++) {
                sb.append(' ').append(revs[2 * i]).append('.').append(revs[2 * i + 1]);
            }
            return sb.append(']').toString();
        }
    }
}
