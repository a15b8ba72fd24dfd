package kv.server.boot;

import java.lang.System.Logger.Level;
import java.time.Duration;
import kv.auth.AuthStore;
import kv.mvcc.MvccStore;

/**
 * The member's periodic chores, on one thread: the watch synchronisation step (catches up watchers
 * that fell behind), the commit of the backend batch (so applied writes reach the backend within the
 * batch interval even when no further write comes, etcd's --backend-batch-interval), and the
 * expiry of auth tokens.
 */
final class Chores implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Chores.class.getName());
    private final MvccStore store;
    private final AuthStore auth;
    private final Duration period;
    private final Thread thread;
    private volatile boolean stop;

    Chores(MvccStore store, AuthStore auth, Duration period) {
        this.store = store;
        this.auth = auth;
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
