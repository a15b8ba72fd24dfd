package kv.it.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one watch stream delivered, checked as it arrives: each response's revisions must be ordered
 * and start after the last revision already delivered (so no duplicate, and no revision split over
 * two responses). {@link #gaps} and {@link #compare} check completeness and agreement at the end.
 * Not thread-safe: the owner serializes calls.
 */
final class WatchLedger {
    /** One event: the revision that made it, the key, and the value (empty for a delete). */
    record Event(long revision, String key, Optional<String> value) {}

    /** One event without its revision, as kept per revision. */
    record Change(String key, Optional<String> value) {}

    private final String member;
    private final TreeMap<Long, List<Change>> byRevision = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private long last;

    WatchLedger(String member) {
        this.member = member;
    }

    /** Takes the events of one watch response, in the order the server sent them. */
    void accept(List<Event> response) {
        long previous = 0;
        for (Event e : response) {
            if (previous == 0 && e.revision() <= last) {
                violations.add(member + ": a response starts at revision " + e.revision() + " but revision " + last + " was already delivered");
            }
            if (e.revision() < previous) {
                violations.add(member + ": revision " + e.revision() + " after " + previous + " in one response");
            }
            previous = e.revision();
            byRevision.computeIfAbsent(e.revision(), r -> new ArrayList<>()).add(new Change(e.key(), e.value()));
        }
        last = Math.max(last, previous);
    }

    /** The stream broke for a reason that is not a member failure (a cancel): a violation. */
    void violation(String what) {
        violations.add(member + ": " + what);
    }

    /** The highest revision delivered, 0 before any. */
    long last() {
        return last;
    }

    String member() {
        return member;
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    Map<Long, List<Change>> byRevision() {
        return byRevision;
    }

    long events() {
        return byRevision.values().stream().mapToLong(List::size).sum();
    }

    /** The revisions in [first, last] that were never delivered (at most {@code limit}). */
    List<Long> gaps(long first, long lastRevision, int limit) {
        List<Long> missing = new ArrayList<>();
        for (long r = first; r <= lastRevision && missing.size() < limit; r++) {
            if (!byRevision.containsKey(r)) {
                missing.add(r);
            }
        }
        return missing;
    }

    /** Empty if this ledger and {@code other} hold the same events at the same revisions, else the first difference. */
    Optional<String> compare(WatchLedger other) {
        for (Map.Entry<Long, List<Change>> e : byRevision.entrySet()) {
            List<Change> theirs = other.byRevision.get(e.getKey());
            if (!e.getValue().equals(theirs)) {
                return Optional.of("revision " + e.getKey() + ": " + member + " has " + e.getValue() + ", " + other.member + " has " + theirs);
            }
        }
        return other.byRevision.keySet().stream().filter(r -> !byRevision.containsKey(r)).findFirst()
                .map(r -> "revision " + r + " only on " + other.member + ": " + other.byRevision.get(r));
    }

    /** Whether the write of {@code key} to {@code value} (empty: a delete) is at {@code revision}. */
    boolean has(long revision, String key, Optional<String> value) {
        List<Change> at = byRevision.get(revision);
        return at != null && at.contains(new Change(key, value));
    }
}
