package kv.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Prepares the next segment ahead of use on a thread of its own: a temp file in the WAL directory,
 * filled with zeros to the segment size and fsynced, so that a rotation never waits for allocation
 * and writes into it never change the file's size (fdatasync then has no metadata to flush).
 *
 * <p>Holds at most one prepared file. A failure to prepare is reported by the next {@link #take}.
 * Thread-safe; owned by one {@link Wal}, which closes it.
 */
final class SegmentPipeline implements AutoCloseable {
    static final String TMP_SUFFIX = ".tmp";
    private static final System.Logger LOG = System.getLogger(SegmentPipeline.class.getName());

    private final Fs fs;
    private final Path dir;
    private final long size;
    private final Thread thread;
    private Fs.Handle prepared;
    private IOException failure;
    private boolean closed;
    private long counter;

    SegmentPipeline(Fs fs, Path dir, long size) {
        this.fs = fs;
        this.dir = dir;
        this.size = size;
        this.thread = Thread.ofPlatform().daemon().name("kv-wal-preallocate " + dir.getFileName()).unstarted(this::run);
        thread.start();
    }

    /** Fills a new file at {@code file} with {@code size} zeros and fsyncs it. */
    static Fs.Handle preallocate(Fs fs, Path file, long size) throws IOException {
        Fs.Handle h = fs.create(file);
        try {
            ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(size, 1 << 20));
            for (long pos = 0; pos < size; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - pos));
                h.write(zeros, pos);
                pos += zeros.limit();
            }
            h.force();
            return h;
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /** The next prepared segment, waiting for it when it is not ready yet. The caller owns the handle. */
    synchronized Fs.Handle take() throws IOException {
        try {
            while (prepared == null && failure == null && !closed) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("wal: interrupted waiting for a preallocated segment");
        }
        if (failure != null) {
            throw new IOException("wal: preallocating a segment failed: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IOException("wal: segment pipeline is closed");
        }
        Fs.Handle h = prepared;
        prepared = null;
        notifyAll();
        return h;
    }

    private void run() {
        while (true) {
            synchronized (this) {
                while (prepared != null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
            }
            Path file = dir.resolve(counter++ + TMP_SUFFIX);
            try {
                Fs.Handle h = preallocate(fs, file, size);
                synchronized (this) {
                    if (closed) {
                        discard(h);
                        return;
                    }
                    prepared = h;
                    notifyAll();
                }
            } catch (IOException e) {
                synchronized (this) {
                    failure = e;
                    notifyAll();
                }
                return;
            }
        }
    }

    /** Stops the thread and removes a prepared file nobody took. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (prepared != null) {
                discard(prepared);
                prepared = null;
            }
        }
    }

    private void discard(Fs.Handle h) {
        try {
            h.close();
            fs.delete(h.path());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "wal: cannot remove unused preallocated segment " + h.path(), e);
        }
    }
}
