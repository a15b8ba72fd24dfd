/**
 * etcd's auth store as a library the server calls: users, roles, key-range permissions, password
 * hashing, simple tokens and permission checks.
 *
 * <p><b>Where each step runs.</b> Passwords are hashed on the proposer
 * ({@link kv.auth.AuthStore#withHashedPassword(kv.api.etcdserverpb.AuthUserAddRequest)} puts the hash in
 * etcd 3.5's {@code hashedPassword} and clears {@code password}), so the clear password never enters the
 * raft log and all members store the same hash. Authenticate is checked on the proposer
 * ({@link kv.auth.AuthStore#checkPassword}), which also draws the random token prefix
 * ({@link kv.auth.AuthStore#newTokenPrefix()}); the apply of the Authenticate entry registers
 * {@code prefix.index} on every member ({@link kv.auth.AuthStore#authenticate}).
 *
 * <p><b>Transactions.</b> Every change is {@code apply(WriteTx tx, <etcd request>)}: it validates
 * against the current state, writes the change and the next auth revision into the caller's write
 * transaction, publishes the new in-memory state and returns etcd's response (the caller adds the
 * header). Expected failures throw {@link kv.auth.AuthException} before anything is written. The server
 * commits {@code tx} together with its applied raft index, so a restart replays exactly the entries the
 * backend has not seen. Layout: bucket {@code auth} ({@code authEnabled}, {@code authRevision}),
 * {@code authUsers} and {@code authRoles} (serialized {@code authpb.User} / {@code authpb.Role}), as etcd.
 *
 * <p><b>Checks.</b> The server resolves a token with {@link kv.auth.AuthStore#authInfo(String)} into an
 * {@link kv.auth.AuthInfo} (user and the current auth revision), attaches it to the proposal, and checks
 * it at apply with the {@code check...} methods; a request resolved at an older auth revision than the
 * store's fails with {@code AUTH_OLD_REVISION}, so a revoked permission is never used by a request that
 * was in flight when it was revoked. Permissions per user are the union of their roles' intervals,
 * rebuilt on every change; a request range is permitted when the union covers it.
 *
 * <p>Tokens are etcd's simple tokens by default, or {@link kv.auth.JwtTokens} (RS256/ES256 from PEM key
 * files, HS256 with a secret). Not done here: lease-attached key checks (etcd's checkLeasePuts),
 * and TLS common-name authentication (the server decides a no-password user's identity).
 */
package kv.auth;
