package kv.auth;

import com.google.protobuf.ByteString;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kv.api.authpb.Permission;
import kv.api.authpb.Role;
import kv.api.authpb.User;
import kv.api.authpb.UserAddOptions;
import kv.api.etcdserverpb.AuthDisableRequest;
import kv.api.etcdserverpb.AuthDisableResponse;
import kv.api.etcdserverpb.AuthEnableRequest;
import kv.api.etcdserverpb.AuthEnableResponse;
import kv.api.etcdserverpb.AuthRoleAddRequest;
import kv.api.etcdserverpb.AuthRoleAddResponse;
import kv.api.etcdserverpb.AuthRoleDeleteRequest;
import kv.api.etcdserverpb.AuthRoleDeleteResponse;
import kv.api.etcdserverpb.AuthRoleGetRequest;
import kv.api.etcdserverpb.AuthRoleGetResponse;
import kv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import kv.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import kv.api.etcdserverpb.AuthRoleListRequest;
import kv.api.etcdserverpb.AuthRoleListResponse;
import kv.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import kv.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import kv.api.etcdserverpb.AuthStatusRequest;
import kv.api.etcdserverpb.AuthStatusResponse;
import kv.api.etcdserverpb.AuthUserAddRequest;
import kv.api.etcdserverpb.AuthUserAddResponse;
import kv.api.etcdserverpb.AuthUserChangePasswordRequest;
import kv.api.etcdserverpb.AuthUserChangePasswordResponse;
import kv.api.etcdserverpb.AuthUserDeleteRequest;
import kv.api.etcdserverpb.AuthUserDeleteResponse;
import kv.api.etcdserverpb.AuthUserGetRequest;
import kv.api.etcdserverpb.AuthUserGetResponse;
import kv.api.etcdserverpb.AuthUserGrantRoleRequest;
import kv.api.etcdserverpb.AuthUserGrantRoleResponse;
import kv.api.etcdserverpb.AuthUserListRequest;
import kv.api.etcdserverpb.AuthUserListResponse;
import kv.api.etcdserverpb.AuthUserRevokeRoleRequest;
import kv.api.etcdserverpb.AuthUserRevokeRoleResponse;
import kv.api.etcdserverpb.AuthenticateResponse;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.TxnRequest;
import kv.backend.Backend;
import kv.backend.Bytes;
import kv.backend.WriteTx;

/**
 * etcd's auth store: the enabled flag, the auth revision, users and roles, persisted in a backend and
 * mirrored in memory for the permission checks.
 *
 * <p>Three kinds of callers, as in etcd:
 * <ul>
 *   <li>the proposer, before proposing: {@link #withHashedPassword(AuthUserAddRequest)} (the clear
 *       password never enters the raft log), {@link #checkPassword}, {@link #newTokenPrefix()};
 *   <li>the apply loop, in raft order: the {@code apply(WriteTx, ...)} methods, which validate against
 *       the current state, write the change (and the next auth revision) into the caller's write
 *       transaction, publish the new in-memory state and return etcd's response (without header), or
 *       throw {@link AuthException} having written nothing; and {@link #authenticate}, which registers
 *       a token. The caller commits the transaction together with its applied index; if it cannot
 *       commit, the in-memory state is ahead of the backend and the member must stop (or
 *       {@link #recover()} from what is committed);
 *   <li>any thread serving requests: {@link #authInfo(String)}, the {@code check...} methods, and the
 *       reads ({@link #status()}, {@link #userGet}, ...), which read one immutable state version without
 *       locking.
 * </ul>
 *
 * <p>Thread-safety: apply methods are serialized on this object; everything else may run concurrently
 * with them. The store does not own the backend (its owner closes it) and has no threads; simple tokens
 * expire against the injected clock.
 */
public final class AuthStore {
    /** The user and the role that may administer auth; the role is implicit (needs no role object). */
    public static final String ROOT = "root";

    private static final System.Logger LOG = System.getLogger(AuthStore.class.getName());
    private static final byte[] NO_RANGE_END = new byte[0];

    private final Backend backend;
    private final PasswordHasher hasher;
    private final InstantSource clock;
    private final SimpleTokens tokens;
    private final JwtTokens jwt; // null: simple tokens
    private volatile AuthState state;

    private AuthStore(Backend backend, AuthConfig config, InstantSource clock, JwtTokens jwt) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.hasher = new PasswordHasher(config.hashCost());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokens = new SimpleTokens(clock, config.tokenTtl());
        if (jwt != null && !jwt.canSign()) {
            // every member applies Authenticate and issues the token the proposer may return
            throw new IllegalArgumentException("JWT tokens need the private key on every member");
        }
        this.jwt = jwt;
        this.state = AuthBuckets.load(backend);
    }

    /**
     * Opens the auth state committed in {@code backend} (an empty, disabled store when there is none),
     * with simple tokens living {@link AuthConfig#tokenTtl()} after their last use on {@code clock}.
     */
    public static AuthStore open(Backend backend, AuthConfig config, InstantSource clock) {
        return new AuthStore(backend, config, clock, null);
    }

    /** As {@link #open(Backend, AuthConfig, InstantSource)}, issuing and accepting JWTs instead of simple tokens. */
    public static AuthStore open(Backend backend, AuthConfig config, InstantSource clock, JwtTokens jwt) {
        return new AuthStore(backend, config, clock, Objects.requireNonNull(jwt, "jwt"));
    }

    /**
     * Reloads the state from what the backend has committed (after a snapshot replaced it) and forgets
     * every token, so that no token outlives a user or password the snapshot removed.
     */
    public synchronized void recover() {
        state = AuthBuckets.load(backend);
        tokens.clear();
    }

    public boolean isEnabled() {
        return state.enabled();
    }

    /** The current auth revision: 1 for a new store, incremented by every change. */
    public long revision() {
        return state.revision();
    }

    // ------------------------------------------------------------------ proposer side

    /**
     * The request to propose for a user add: the password replaced by its hash (in
     * {@code hashedPassword}), unless the user has no password or the request is already hashed.
     */
    public AuthUserAddRequest withHashedPassword(AuthUserAddRequest r) {
        if (r.getOptions().getNoPassword() || !r.getHashedPassword().isEmpty()) {
            return r.toBuilder().clearPassword().build();
        }
        return r.toBuilder().setHashedPassword(hasher.hash(r.getPassword())).clearPassword().build();
    }

    /** The request to propose for a password change, hashed as {@link #withHashedPassword(AuthUserAddRequest)}. */
    public AuthUserChangePasswordRequest withHashedPassword(AuthUserChangePasswordRequest r) {
        if (!r.getHashedPassword().isEmpty()) {
            return r.toBuilder().clearPassword().build();
        }
        return r.toBuilder().setHashedPassword(hasher.hash(r.getPassword())).clearPassword().build();
    }

    /**
     * Checks a user's password on the proposer (the hashing is too slow for the apply loop) and returns
     * the auth revision it was checked at; the proposer retries the Authenticate proposal if the revision
     * changed before it was applied, as etcd does.
     *
     * @throws AuthException {@code AUTH_NOT_ENABLED}, or {@code AUTH_FAILED} for an unknown user, a
     *     user without a password, or a wrong password
     */
    public long checkPassword(String username, String password) {
        AuthState s = state;
        if (!s.enabled()) {
            throw new AuthException(EtcdAuthError.AUTH_NOT_ENABLED);
        }
        User user = s.user(username);
        if (user == null || user.getOptions().getNoPassword()
                || !PasswordHasher.verify(password, user.getPassword().toStringUtf8())) {
            throw new AuthException(EtcdAuthError.AUTH_FAILED);
        }
        return s.revision();
    }

    /** The random part of a simple token, drawn by the proposer and carried in the Authenticate proposal. */
    public String newTokenPrefix() {
        return SimpleTokens.newPrefix();
    }

    // ------------------------------------------------------------------ apply side: tokens

    /**
     * Applies an Authenticate entry (after the proposer's {@link #checkPassword}): registers and returns
     * the simple token {@code tokenPrefix + "." + index}, valid for the configured TTL after its last
     * use; with JWTs, returns a JWT signed for the current auth revision (prefix and index unused).
     *
     * @throws AuthException {@code AUTH_NOT_ENABLED}; {@code AUTH_FAILED} when the user is gone or has
     *     no password
     */
    public synchronized AuthenticateResponse authenticate(String username, String tokenPrefix, long index) {
        AuthState s = state;
        if (!s.enabled()) {
            throw new AuthException(EtcdAuthError.AUTH_NOT_ENABLED);
        }
        User user = s.user(username);
        if (user == null || user.getOptions().getNoPassword()) {
            throw new AuthException(EtcdAuthError.AUTH_FAILED);
        }
        String token = jwt != null
                ? jwt.sign(username, s.revision(), clock.instant())
                : tokens.issue(tokenPrefix, index, username);
        return AuthenticateResponse.newBuilder().setToken(token).build();
    }

    /**
     * The identity behind a token: for a simple token, its user at the current auth revision (refreshing
     * the token's TTL, as etcd); for a JWT, the user and revision it was signed with.
     *
     * @throws AuthException {@code INVALID_AUTH_TOKEN} when the token is unknown or expired
     */
    public AuthInfo authInfo(String token) {
        if (jwt != null) {
            return jwt.verify(token, clock.instant());
        }
        long revision = state.revision(); // read first: a change racing this lookup then fails the apply
        String user = tokens.use(token);
        if (user == null) {
            throw new AuthException(EtcdAuthError.INVALID_AUTH_TOKEN);
        }
        return new AuthInfo(user, revision);
    }

    /** Drops expired tokens (the server calls it now and then); returns how many. */
    public int expireTokens() {
        return tokens.expire();
    }

    // ------------------------------------------------------------------ apply side: changes

    /**
     * Enables auth; needs user root with the root role. Enabling an enabled store changes nothing.
     * Forgets every simple token.
     */
    public synchronized AuthEnableResponse apply(WriteTx tx, AuthEnableRequest r) {
        AuthState s = state;
        if (s.enabled()) {
            return AuthEnableResponse.getDefaultInstance(); // etcd: enabling twice changes nothing
        }
        User root = s.user(ROOT);
        if (root == null) {
            throw new AuthException(EtcdAuthError.ROOT_USER_NOT_EXIST);
        }
        if (!AuthState.hasRootRole(root)) {
            throw new AuthException(EtcdAuthError.ROOT_ROLE_NOT_EXIST);
        }
        AuthBuckets.putEnabled(tx, true);
        publish(tx, s.withEnabled(true));
        tokens.clear();
        LOG.log(System.Logger.Level.INFO, "auth enabled");
        return AuthEnableResponse.getDefaultInstance();
    }

    /** Disables auth (every check then passes) and forgets every simple token; a no-op when disabled. */
    public synchronized AuthDisableResponse apply(WriteTx tx, AuthDisableRequest r) {
        AuthState s = state;
        if (!s.enabled()) {
            return AuthDisableResponse.getDefaultInstance();
        }
        AuthBuckets.putEnabled(tx, false);
        publish(tx, s.withEnabled(false));
        tokens.clear();
        LOG.log(System.Logger.Level.INFO, "auth disabled");
        return AuthDisableResponse.getDefaultInstance();
    }

    /**
     * Adds a user. The request should carry {@code hashedPassword} (see
     * {@link #withHashedPassword(AuthUserAddRequest)}); a clear {@code password} alone is hashed here,
     * as etcd does for proposals from older members, which gives each member a differently salted hash.
     */
    public synchronized AuthUserAddResponse apply(WriteTx tx, AuthUserAddRequest r) {
        AuthState s = state;
        if (r.getName().isEmpty()) {
            throw new AuthException(EtcdAuthError.USER_EMPTY);
        }
        if (s.user(r.getName()) != null) {
            throw new AuthException(EtcdAuthError.USER_ALREADY_EXIST);
        }
        UserAddOptions options = r.getOptions();
        String hash = options.getNoPassword() ? "" : hashOf(r.getPassword(), r.getHashedPassword());
        User user = User.newBuilder()
                .setName(ByteString.copyFromUtf8(r.getName()))
                .setPassword(ByteString.copyFromUtf8(hash))
                .setOptions(options)
                .build();
        AuthBuckets.putUser(tx, user);
        publish(tx, s.withUser(user));
        return AuthUserAddResponse.getDefaultInstance();
    }

    /** Deletes a user and its tokens; root cannot be deleted while auth is enabled. */
    public synchronized AuthUserDeleteResponse apply(WriteTx tx, AuthUserDeleteRequest r) {
        AuthState s = state;
        if (s.enabled() && r.getName().equals(ROOT)) {
            throw new AuthException(EtcdAuthError.INVALID_AUTH_MGMT);
        }
        if (s.user(r.getName()) == null) {
            throw new AuthException(EtcdAuthError.USER_NOT_FOUND);
        }
        AuthBuckets.deleteUser(tx, r.getName());
        publish(tx, s.withoutUser(r.getName()));
        tokens.invalidateUser(r.getName());
        return AuthUserDeleteResponse.getDefaultInstance();
    }

    /**
     * Changes a password (hashed by the proposer, see
     * {@link #withHashedPassword(AuthUserChangePasswordRequest)}) and forgets the user's tokens; a
     * password given for a no-password user is refused.
     */
    public synchronized AuthUserChangePasswordResponse apply(WriteTx tx, AuthUserChangePasswordRequest r) {
        AuthState s = state;
        User user = s.user(r.getName());
        if (user == null) {
            throw new AuthException(EtcdAuthError.USER_NOT_FOUND);
        }
        boolean given = !r.getPassword().isEmpty() || !r.getHashedPassword().isEmpty();
        if (given && user.getOptions().getNoPassword()) {
            throw new AuthException(EtcdAuthError.NO_PASSWORD_USER);
        }
        String hash = hashOf(r.getPassword(), r.getHashedPassword());
        User changed = user.toBuilder().setPassword(ByteString.copyFromUtf8(hash)).build();
        AuthBuckets.putUser(tx, changed);
        publish(tx, s.withUser(changed));
        tokens.invalidateUser(r.getName());
        return AuthUserChangePasswordResponse.getDefaultInstance();
    }

    /** Grants a role (the root role needs no role object); granting a role the user has changes nothing. */
    public synchronized AuthUserGrantRoleResponse apply(WriteTx tx, AuthUserGrantRoleRequest r) {
        AuthState s = state;
        User user = s.user(r.getUser());
        if (user == null) {
            throw new AuthException(EtcdAuthError.USER_NOT_FOUND);
        }
        if (!r.getRole().equals(ROOT) && s.role(r.getRole()) == null) {
            throw new AuthException(EtcdAuthError.ROLE_NOT_FOUND);
        }
        List<String> roles = new ArrayList<>(user.getRolesList());
        int at = java.util.Collections.binarySearch(roles, r.getRole());
        if (at >= 0) {
            return AuthUserGrantRoleResponse.getDefaultInstance();
        }
        roles.add(-at - 1, r.getRole());
        User changed = user.toBuilder().clearRoles().addAllRoles(roles).build();
        AuthBuckets.putUser(tx, changed);
        publish(tx, s.withUser(changed));
        return AuthUserGrantRoleResponse.getDefaultInstance();
    }

    /** Revokes a granted role; root's root role cannot be revoked while auth is enabled. */
    public synchronized AuthUserRevokeRoleResponse apply(WriteTx tx, AuthUserRevokeRoleRequest r) {
        AuthState s = state;
        if (s.enabled() && r.getName().equals(ROOT) && r.getRole().equals(ROOT)) {
            throw new AuthException(EtcdAuthError.INVALID_AUTH_MGMT);
        }
        User user = s.user(r.getName());
        if (user == null) {
            throw new AuthException(EtcdAuthError.USER_NOT_FOUND);
        }
        List<String> roles = new ArrayList<>(user.getRolesList());
        if (!roles.remove(r.getRole())) {
            throw new AuthException(EtcdAuthError.ROLE_NOT_GRANTED);
        }
        User changed = user.toBuilder().clearRoles().addAllRoles(roles).build();
        AuthBuckets.putUser(tx, changed);
        publish(tx, s.withUser(changed));
        return AuthUserRevokeRoleResponse.getDefaultInstance();
    }

    /** Adds a role without permissions. */
    public synchronized AuthRoleAddResponse apply(WriteTx tx, AuthRoleAddRequest r) {
        AuthState s = state;
        if (r.getName().isEmpty()) {
            throw new AuthException(EtcdAuthError.ROLE_EMPTY);
        }
        if (s.role(r.getName()) != null) {
            throw new AuthException(EtcdAuthError.ROLE_ALREADY_EXIST);
        }
        Role role = Role.newBuilder().setName(ByteString.copyFromUtf8(r.getName())).build();
        AuthBuckets.putRole(tx, role);
        publish(tx, s.withRole(role));
        return AuthRoleAddResponse.getDefaultInstance();
    }

    /** Deletes a role and takes it from every user who had it. */
    public synchronized AuthRoleDeleteResponse apply(WriteTx tx, AuthRoleDeleteRequest r) {
        AuthState s = state;
        if (s.enabled() && r.getRole().equals(ROOT)) {
            throw new AuthException(EtcdAuthError.INVALID_AUTH_MGMT);
        }
        if (s.role(r.getRole()) == null) {
            throw new AuthException(EtcdAuthError.ROLE_NOT_FOUND);
        }
        Map<String, User> changed = new HashMap<>();
        for (var e : s.users().entrySet()) {
            if (e.getValue().getRolesList().contains(r.getRole())) {
                List<String> roles = new ArrayList<>(e.getValue().getRolesList());
                roles.remove(r.getRole());
                User u = e.getValue().toBuilder().clearRoles().addAllRoles(roles).build();
                changed.put(e.getKey(), u);
                AuthBuckets.putUser(tx, u);
            }
        }
        AuthBuckets.deleteRole(tx, r.getRole());
        publish(tx, s.withoutRole(r.getRole(), changed));
        return AuthRoleDeleteResponse.getDefaultInstance();
    }

    /**
     * Grants a permission; a grant on the same key and range end as an existing one replaces its type.
     * Permissions stay sorted by key, as etcd keeps them.
     */
    public synchronized AuthRoleGrantPermissionResponse apply(WriteTx tx, AuthRoleGrantPermissionRequest r) {
        AuthState s = state;
        Role role = s.role(r.getName());
        if (role == null) {
            throw new AuthException(EtcdAuthError.ROLE_NOT_FOUND);
        }
        Permission p = r.getPerm();
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        int at = 0;
        while (at < perms.size() && compare(perms.get(at).getKey(), p.getKey()) < 0) {
            at++;
        }
        int same = at;
        while (same < perms.size() && perms.get(same).getKey().equals(p.getKey())
                && !perms.get(same).getRangeEnd().equals(p.getRangeEnd())) {
            same++;
        }
        Permission grant = Permission.newBuilder()
                .setPermType(p.getPermType()).setKey(p.getKey()).setRangeEnd(p.getRangeEnd()).build();
        if (same < perms.size() && perms.get(same).getKey().equals(p.getKey())) {
            perms.set(same, grant);
        } else {
            perms.add(at, grant);
        }
        Role changed = role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build();
        AuthBuckets.putRole(tx, changed);
        publish(tx, s.withRole(changed));
        return AuthRoleGrantPermissionResponse.getDefaultInstance();
    }

    /** Revokes the permission with exactly this key and range end. */
    public synchronized AuthRoleRevokePermissionResponse apply(WriteTx tx, AuthRoleRevokePermissionRequest r) {
        AuthState s = state;
        Role role = s.role(r.getRole());
        if (role == null) {
            throw new AuthException(EtcdAuthError.ROLE_NOT_FOUND);
        }
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        boolean removed = perms.removeIf(
                p -> p.getKey().equals(r.getKey()) && p.getRangeEnd().equals(r.getRangeEnd()));
        if (!removed) {
            throw new AuthException(EtcdAuthError.PERMISSION_NOT_GRANTED);
        }
        Role changed = role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build();
        AuthBuckets.putRole(tx, changed);
        publish(tx, s.withRole(changed));
        return AuthRoleRevokePermissionResponse.getDefaultInstance();
    }

    private void publish(WriteTx tx, AuthState next) {
        AuthBuckets.putRevision(tx, next.revision());
        state = next;
    }

    private String hashOf(String password, String hashedPassword) {
        return hashedPassword.isEmpty() ? hasher.hash(password) : hashedPassword;
    }

    private static int compare(ByteString a, ByteString b) {
        return Bytes.compare(a.toByteArray(), b.toByteArray());
    }

    // ------------------------------------------------------------------ reads

    public AuthStatusResponse status() {
        AuthState s = state;
        return AuthStatusResponse.newBuilder().setEnabled(s.enabled()).setAuthRevision(s.revision()).build();
    }

    /** Same as {@link #status()}; for the server's uniform request dispatch. */
    public AuthStatusResponse status(AuthStatusRequest r) {
        return status();
    }

    /** The user's roles, sorted. */
    public AuthUserGetResponse userGet(AuthUserGetRequest r) {
        User user = state.user(r.getName());
        if (user == null) {
            throw new AuthException(EtcdAuthError.USER_NOT_FOUND);
        }
        return AuthUserGetResponse.newBuilder().addAllRoles(user.getRolesList()).build();
    }

    /** All user names, sorted. */
    public AuthUserListResponse userList(AuthUserListRequest r) {
        return AuthUserListResponse.newBuilder().addAllUsers(state.users().keySet()).build();
    }

    /** The role's permissions, sorted by key. */
    public AuthRoleGetResponse roleGet(AuthRoleGetRequest r) {
        Role role = state.role(r.getRole());
        if (role == null) {
            throw new AuthException(EtcdAuthError.ROLE_NOT_FOUND);
        }
        return AuthRoleGetResponse.newBuilder().addAllPerm(role.getKeyPermissionList()).build();
    }

    /** All role names, sorted. */
    public AuthRoleListResponse roleList(AuthRoleListRequest r) {
        return AuthRoleListResponse.newBuilder().addAllRoles(state.roles().keySet()).build();
    }

    // ------------------------------------------------------------------ permission checks

    /** Checks a read of {@code [key, rangeEnd)} (etcd's IsRangePermitted); see {@link #checkOp} for the rules. */
    public void checkRange(AuthInfo who, byte[] key, byte[] rangeEnd) {
        checkOp(who, key, rangeEnd, false);
    }

    /** Checks a write of one key (etcd's IsPutPermitted). */
    public void checkPut(AuthInfo who, byte[] key) {
        checkOp(who, key, NO_RANGE_END, true);
    }

    /** Checks a delete of {@code [key, rangeEnd)} (etcd's IsDeleteRangePermitted). */
    public void checkDeleteRange(AuthInfo who, byte[] key, byte[] rangeEnd) {
        checkOp(who, key, rangeEnd, true);
    }

    /**
     * Checks that the sender may administer auth and the cluster (has the root role), as etcd's
     * IsAdminPermitted: no check while auth is disabled.
     *
     * @param who the sender, {@code null} when the request carried no token
     * @throws AuthException {@code USER_EMPTY}, {@code USER_NOT_FOUND} or {@code PERMISSION_DENIED}
     */
    public void checkAdmin(AuthInfo who) {
        AuthState s = state;
        if (!s.enabled()) {
            return;
        }
        if (who == null) {
            throw new AuthException(EtcdAuthError.USER_EMPTY);
        }
        User user = s.user(who.username());
        if (user == null) {
            throw new AuthException(EtcdAuthError.USER_NOT_FOUND);
        }
        if (!AuthState.hasRootRole(user)) {
            throw new AuthException(EtcdAuthError.PERMISSION_DENIED);
        }
    }

    /** Checks a range request: it reads its range. */
    public void check(AuthInfo who, RangeRequest r) {
        RequestChecks.check(this, who, r);
    }

    /** Checks a put: it writes its key and, with {@code prev_kv}, reads it. */
    public void check(AuthInfo who, PutRequest r) {
        RequestChecks.check(this, who, r);
    }

    /** Checks a delete: it writes its range and, with {@code prev_kv}, reads it. */
    public void check(AuthInfo who, DeleteRangeRequest r) {
        RequestChecks.check(this, who, r);
    }

    /**
     * Checks a txn as etcd's checkTxnAuth: every compare reads its range, and every operation of both
     * branches (whichever will run) is checked as above, nested txns included.
     */
    public void check(AuthInfo who, TxnRequest r) {
        RequestChecks.check(this, who, r);
    }

    /**
     * etcd's isOpPermitted. Nothing is checked while auth is disabled. {@code who == null} (no token) is
     * {@code USER_EMPTY}; a revision older than the store's is {@code AUTH_OLD_REVISION}; an unknown user
     * or an uncovered range is {@code PERMISSION_DENIED}; the root role may do anything.
     */
    void checkOp(AuthInfo who, byte[] key, byte[] rangeEnd, boolean write) {
        AuthState s = state;
        if (!s.enabled()) {
            return;
        }
        if (who == null) {
            throw new AuthException(EtcdAuthError.USER_EMPTY);
        }
        if (who.revision() < s.revision()) {
            throw new AuthException(EtcdAuthError.AUTH_OLD_REVISION);
        }
        User user = s.user(who.username());
        if (user == null) {
            throw new AuthException(EtcdAuthError.PERMISSION_DENIED);
        }
        if (AuthState.hasRootRole(user)) {
            return;
        }
        if (!s.permissionsOf(who.username()).permits(write, key, rangeEnd)) {
            throw new AuthException(EtcdAuthError.PERMISSION_DENIED);
        }
    }
}
