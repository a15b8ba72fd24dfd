/**
 * What kvd and the offline tools of kvctl agree on about a member's data directory
 * ({@link kv.admin.DataDir}), and the offline operations on a stopped member.
 */
package kv.admin;
