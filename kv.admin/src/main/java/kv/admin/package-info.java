/**
 * What kvd and the offline tools of kvctl agree on about a member's data directory
 * ({@link kv.admin.DataDir}), and the offline operations on a stopped member: moving its backend to
 * another engine ({@link kv.admin.EngineMigration}) and hashing its content
 * ({@link kv.admin.DataDirHash}). Both refuse a running member (its WAL lock is held) with a
 * {@link kv.admin.MigrationException}.
 */
package kv.admin;
