/**
 * A linearizability checker for histories recorded by concurrent clients, the way Jepsen tests a
 * database under faults.
 *
 * <p>Clients record each {@link kv.lincheck.Operation}: its input, when it was called, and when
 * and with what output it returned, or that it never did (pending: outcome unknown).
 * {@link kv.lincheck.LinearizabilityChecker#check} decides whether the history could have come
 * from one sequential execution of a {@link kv.lincheck.Model} respecting real time, and explains
 * a violation ({@link kv.lincheck.Result.NotLinearizable}). Ready-made models:
 * {@link kv.lincheck.RegisterModel} (read/write/cas) and {@link kv.lincheck.KvModel}
 * (get/put/append/delete/cas per key, with etcd revisions). Readers for two recorded formats:
 * {@link kv.lincheck.JepsenRegisterLog} and {@link kv.lincheck.EdnKvLog}.
 *
 * <p>Everything here is immutable or stateless and safe to use from several threads.
 */
package kv.lincheck;
