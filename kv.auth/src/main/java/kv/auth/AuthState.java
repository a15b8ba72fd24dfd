package kv.auth;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import kv.api.authpb.Role;
import kv.api.authpb.User;

/**
 * One immutable version of the auth store's state: what every permission check reads without a lock.
 * A change builds the next version (copying the small maps and rebuilding every user's
 * {@link RangePermissions}) and publishes it with one volatile write.
 */
record AuthState(
        boolean enabled,
        long revision,
        SortedMap<String, User> users,
        SortedMap<String, Role> roles,
        Map<String, RangePermissions> permissions) {

    /** etcd starts the auth revision at 1, so that revision 0 can mean "no auth info". */
    static final long FIRST_REVISION = 1;

    static AuthState of(boolean enabled, long revision, Map<String, User> users, Map<String, Role> roles) {
        SortedMap<String, User> u = Collections.unmodifiableSortedMap(new TreeMap<>(users));
        SortedMap<String, Role> r = Collections.unmodifiableSortedMap(new TreeMap<>(roles));
        Map<String, RangePermissions> perms = new HashMap<>();
        for (User user : u.values()) {
            perms.put(user.getName().toStringUtf8(), RangePermissions.of(user, r));
        }
        return new AuthState(enabled, revision, u, r, Map.copyOf(perms));
    }

    static AuthState empty() {
        return of(false, FIRST_REVISION, Map.of(), Map.of());
    }

    User user(String name) {
        return users.get(name);
    }

    Role role(String name) {
        return roles.get(name);
    }

    RangePermissions permissionsOf(String user) {
        return permissions.getOrDefault(user, RangePermissions.NONE);
    }

    /** The next revision with {@code enabled} changed. */
    AuthState withEnabled(boolean on) {
        return new AuthState(on, revision + 1, users, roles, permissions);
    }

    /** The next revision with {@code user} added or replaced. */
    AuthState withUser(User user) {
        Map<String, User> u = new TreeMap<>(users);
        u.put(user.getName().toStringUtf8(), user);
        return of(enabled, revision + 1, u, roles);
    }

    AuthState withoutUser(String name) {
        Map<String, User> u = new TreeMap<>(users);
        u.remove(name);
        return of(enabled, revision + 1, u, roles);
    }

    AuthState withRole(Role role) {
        Map<String, Role> r = new TreeMap<>(roles);
        r.put(role.getName().toStringUtf8(), role);
        return of(enabled, revision + 1, users, r);
    }

    /** The next revision without {@code role}, and with the given users (who lost it) replaced. */
    AuthState withoutRole(String name, Map<String, User> changedUsers) {
        Map<String, Role> r = new TreeMap<>(roles);
        r.remove(name);
        Map<String, User> u = new TreeMap<>(users);
        u.putAll(changedUsers);
        return of(enabled, revision + 1, u, r);
    }

    static boolean hasRootRole(User user) {
        return user.getRolesList().contains(AuthStore.ROOT);
    }
}
