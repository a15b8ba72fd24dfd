package kv.server.boot;

import java.lang.System.Logger.Level;
import java.time.Duration;
import kv.mvcc.MvccStore;

/** Runs the store's watch synchronisation step on a period: catches up watchers that fell behind. */
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
