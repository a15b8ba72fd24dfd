package kv.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import kv.api.authpb.Permission;
import kv.api.authpb.Role;
import kv.api.authpb.User;
import kv.backend.Bytes;

/**
 * One user's key permissions, as etcd's range_perm_cache: the union of the intervals of all the user's
 * roles, kept per direction (READWRITE counts for both) as sorted, disjoint, merged half-open intervals,
 * so that a request range is permitted exactly when one merged interval covers it, even when no single
 * grant does. Immutable; rebuilt whenever a user, a role or a grant changes.
 */
final class RangePermissions {
    /** Nobody: permits nothing. */
    static final RangePermissions NONE = new RangePermissions(new Interval[0], new Interval[0]);

    private final Interval[] read;
    private final Interval[] write;

    private RangePermissions(Interval[] read, Interval[] write) {
        this.read = read;
        this.write = write;
    }

    /** The merged permissions of {@code user}'s roles; roles missing from {@code roles} grant nothing. */
    static RangePermissions of(User user, Map<String, Role> roles) {
        List<Interval> read = new ArrayList<>();
        List<Interval> write = new ArrayList<>();
        for (String roleName : user.getRolesList()) {
            Role role = roles.get(roleName);
            if (role == null) {
                continue;
            }
            for (Permission p : role.getKeyPermissionList()) {
                Interval ivl = Interval.of(p.getKey().toByteArray(), p.getRangeEnd().toByteArray());
                switch (p.getPermType()) {
                    case READ -> read.add(ivl);
                    case WRITE -> write.add(ivl);
                    case READWRITE -> {
                        read.add(ivl);
                        write.add(ivl);
                    }
                    case UNRECOGNIZED -> throw new IllegalStateException("unknown permission type in role " + roleName);
                }
            }
        }
        return new RangePermissions(merge(read), merge(write));
    }

    /**
     * Whether {@code [key, rangeEnd)} is covered for reading or writing. {@code rangeEnd} empty means the
     * single key, {@code "\0"} means every key from {@code key} on. A range whose end is not above its
     * key selects no key in etcd; it is checked as the single key {@code key}, which never grants more.
     */
    boolean permits(boolean forWrite, byte[] key, byte[] rangeEnd) {
        Interval want = Interval.of(key, rangeEnd);
        Interval[] have = forWrite ? write : read;
        int lo = 0;
        int hi = have.length - 1;
        int floor = -1; // the last interval starting at or before want.start
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Bytes.compare(have[mid].start, want.start) <= 0) {
                floor = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return floor >= 0 && have[floor].covers(want);
    }

    private static Interval[] merge(List<Interval> ivls) {
        ivls.sort(Comparator.comparing(Interval::start, Bytes.ORDER));
        List<Interval> out = new ArrayList<>();
        for (Interval next : ivls) {
            Interval last = out.isEmpty() ? null : out.getLast();
            if (last != null && last.touches(next)) {
                out.set(out.size() - 1, last.union(next));
            } else {
                out.add(next);
            }
        }
        return out.toArray(Interval[]::new);
    }

    /** {@code [start, end)}; {@code end == null} is +infinity. */
    private record Interval(byte[] start, byte[] end) {
        static Interval of(byte[] key, byte[] rangeEnd) {
            if (rangeEnd.length == 1 && rangeEnd[0] == 0) {
                return new Interval(key, null);
            }
            if (rangeEnd.length == 0 || Bytes.compare(rangeEnd, key) <= 0) {
                // a single key k is [k, k + "\0"): no key sorts strictly between the two
                return new Interval(key, Arrays.copyOf(key, key.length + 1));
            }
            return new Interval(key, rangeEnd);
        }

        /** Whether {@code next}, which starts at or after this one, overlaps or abuts it. */
        boolean touches(Interval next) {
            return end == null || Bytes.compare(next.start, end) <= 0;
        }

        Interval union(Interval next) {
            if (end == null || next.end == null) {
                return new Interval(start, null);
            }
            return new Interval(start, Bytes.compare(end, next.end) >= 0 ? end : next.end);
        }

        /** Whether this interval, starting at or before {@code other}, reaches at least as far. */
        boolean covers(Interval other) {
            if (end == null) {
                return true;
            }
            return other.end != null && Bytes.compare(end, other.end) >= 0;
        }
    }
}
