package kv.server.boot;

import java.lang.System.Logger.Level;
import java.time.Duration;
import kv.auth.AuthStore;
import kv.mvcc.MvccStore;

/**
 * The member's periodic chores, on one thread: the watch synchronisation step (catches up watchers
 * that fell behind), asking the apply thread to commit the backend batch (so applied writes reach
 * the backend within the batch interval even when no further write comes, etcd's
 * --backend-batch-interval; the batch is the apply thread's, some engines bind it to its thread), the
 * expiry of auth tokens, failing requests that waited longer than the request timeout, and measuring the backend's size for the quota.
 */
final class Chores implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Chores.class.getName());
    private final MvccStore store;
    private final AuthStore auth;
    private final Runnable measureBackend;
    private final Runnable commitBatch;
    private final Runnable expireRequests;
    private final Duration period;
    private final Thread thread;
    private volatile boolean stop;

    Chores(MvccStore store, AuthStore auth, Runnable measureBackend, Runnable commitBatch, Runnable expireRequests, Duration period) {
        this.expireRequests = expireRequests;
        this.store = store;
        this.commitBatch = commitBatch;
        this.auth = auth;
        this.measureBackend = measureBackend;
        this.period = period;
        this.thread = Thread.ofPlatform().name("chores").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!stop) {
            try {
                store.syncWatchers();
                commitBatch.run();
                expireRequests.run();
                auth.expireTokens();
                measureBackend.run();
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stop) {
                    LOG.log(Level.WARNING, "a periodic chore failed; retrying: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
