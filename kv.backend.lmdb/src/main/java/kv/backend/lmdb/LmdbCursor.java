package kv.backend.lmdb;

import kv.backend.Cursor;

/**
 * The SPI's {@link Cursor} over a {@link Walk}: checks (backend open, transaction open, cursor
 * open, positioned), the guard's shared hold around each step, and re-creation of the native cursor
 * when the map moved since the last step. Single-threaded, like its transaction.
 */
final class LmdbCursor implements Cursor {
    private final LmdbTx tx;
    private final Walk walk;
    private long epoch;
    private boolean positioned;
    private boolean closed;

    LmdbCursor(LmdbTx tx, Walk walk) {
        this.tx = tx;
        this.walk = walk;
        this.epoch = tx.store().epoch();
    }

    @Override
    public boolean first() {
        enter();
        try {
            return positioned = walk.first();
        } finally {
            tx.exit();
        }
    }

    @Override
    public boolean last() {
        enter();
        try {
            return positioned = walk.last();
        } finally {
            tx.exit();
        }
    }

    @Override
    public boolean seek(byte[] key) {
        enter();
        try {
            return positioned = walk.seek(key);
        } finally {
            tx.exit();
        }
    }

    @Override
    public boolean next() {
        enter();
        try {
            return positioned = positioned && walk.next();
        } finally {
            tx.exit();
        }
    }

    @Override
    public boolean prev() {
        enter();
        try {
            return positioned = positioned && walk.prev();
        } finally {
            tx.exit();
        }
    }

    @Override
    public byte[] key() {
        enter();
        try {
            checkPositioned();
            return walk.key();
        } finally {
            tx.exit();
        }
    }

    @Override
    public byte[] value() {
        enter();
        try {
            checkPositioned();
            return walk.value();
        } finally {
            tx.exit();
        }
    }

    @Override
    public void close() {
        if (!closed && tx.tryEnter()) {
            try {
                release();
                tx.forget(this);
            } finally {
                tx.exit();
            }
        }
    }

    /** Frees the native cursor; with a hold on the guard (or under the exclusive close). */
    void release() {
        if (!closed) {
            closed = true;
            walk.close();
        }
    }

    private void enter() {
        tx.enter();
        boolean ok = false;
        try {
            tx.checkOpen();
            if (closed) {
                throw new IllegalStateException("backend: cursor is closed");
            }
            long now = tx.store().epoch();
            if (now != epoch) {
                walk.remap();
                epoch = now;
            }
            ok = true;
        } finally {
            if (!ok) {
                tx.exit();
            }
        }
    }

    private void checkPositioned() {
        if (!positioned) {
            throw new IllegalStateException("backend: cursor is not positioned on an entry");
        }
    }
}
