package kv.server.boot;

import java.lang.System.Logger.Level;
import java.time.Duration;
import kv.mvcc.MvccStore;

/**
 * The store's periodic chores: the watch synchronisation step (catches up watchers that fell behind)
 * and the commit of the backend batch, so that applied writes reach the backend within the batch
 * interval even when no further write comes (etcd's --backend-batch-interval).
 */
final class WatchSync implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WatchSync.class.getName());
    private final MvccStore store;
    private final Duration period;
    private final Thread thread;
    private volatile boolean stop;

    WatchSync(MvccStore store, Duration period) {
        this.store = store;
        this.period = period;
        this.thread = Thread.ofPlatform().name("watch-sync").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!stop) {
            try {
                store.syncWatchers();
                store.commit();
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stop) {
                    LOG.log(Level.WARNING, "watch sync failed; retrying: " + e);
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
