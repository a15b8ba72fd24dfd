package kv.mvcc;

/** Kinds of events a watcher can ask not to receive. */
public enum WatchFilter {
    /** Drop PUT events. */
    NOPUT,
    /** Drop DELETE events. */
    NODELETE
}
