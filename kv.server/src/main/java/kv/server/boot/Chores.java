package kv.server.boot;

import java.lang.System.Logger.Level;
import java.time.Duration;
import kv.auth.AuthStore;
import kv.mvcc.MvccStore;

/**
 * The member's periodic chores, on one thread: the watch synchronisation step (catches up watchers
 * that fell behind), the commit of the backend batch (so applied writes reach the backend within the
 * batch interval even when no further write comes, etcd's --backend-batch-interval), the
 * expiry of auth tokens, and measuring the backend's size for the quota.
 */
final class Chores implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Chores.class.getName());
    private final MvccStore store;
    private final AuthStore auth;
    private final Runnable measureBackend;
    private final Duration period;
    private final Thread thread;
    private volatile boolean stop;

    Chores(MvccStore store, AuthStore auth, Runnable measureBackend, Duration period) {
        this.store = store;
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
                store.commit();
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
