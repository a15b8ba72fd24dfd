package example.kv.backend.memlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BackendConfig;
import kv.backend.BackendException;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * The memlog store: the committed {@link State} in memory, published by a volatile write so that a
 * reader takes it without a lock, and the files of the current generation ({@link Generations}).
 *
 * <p>Commit: the writer's frame is appended to the log (and forced for SYNC), then the new state is
 * published; a failed append leaves the old state and refuses further writes, since what reached
 * the file is unknown. Defragment writes a checkpoint of the current state as the next generation
 * and drops the old log. The directory is locked against a second opener from open to close.
 *
 * <p>Thread-safe. One write slot (a semaphore, not a lock, so a transaction may be closed by
 * another thread than the one that began it).
 */
final class MemlogBackend implements Backend {
    private final String engine;
    private final BackendConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Semaphore writeSlot = new Semaphore(1);
    private final Generations files;
    private volatile State current;
    private volatile boolean closed;
    private volatile String failure;

    private MemlogBackend(String engine, BackendConfig config, FileChannel lockChannel, FileLock lock, Generations files, State state) {
        this.engine = engine;
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.files = files;
        this.current = state;
    }

    static MemlogBackend open(String engine, BackendConfig config) throws IOException {
        Path dir = config.directory();
        java.nio.file.Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = tryLock(ch);
            if (l == null) {
                throw new BackendException("memlog: " + dir + " is open in another process or backend (LOCK is held)");
            }
            Generations.Recovered r = Generations.recover(dir);
            return new MemlogBackend(engine, config, ch, l, r.files(), r.state());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another backend in this JVM
        }
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public Path directory() {
        return config.directory();
    }

    Durability durability() {
        return config.durability();
    }

    @Override
    public ReadTx beginRead() {
        checkOpen();
        return new MemlogTx.Read(this, current);
    }

    @Override
    public WriteTx beginWrite() {
        acquireWrite();
        return new MemlogWriteTx(this, current);
    }

    @Override
    public void sync() {
        checkOpen();
        try {
            files.log().force();
        } catch (IOException e) {
            failure = "fsync of the log failed: " + e.getMessage();
            throw new BackendException("memlog: sync of " + directory() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long sizeOnDisk() {
        checkOpen();
        return files.sizeOnDisk();
    }

    @Override
    public long sizeInUse() {
        checkOpen();
        // liveBytes is what a checkpoint of the state holds, which the files hold at least once
        return current.liveBytes();
    }

    @Override
    public void defragment() {
        acquireWrite();
        try {
            checkWritable(); // after a failure the files may not match the state any more
            files.checkpoint(current);
        } catch (IOException e) {
            throw new BackendException("memlog: defragment of " + directory() + " failed: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            failure = e.getMessage();
            throw new BackendException("memlog: " + e.getMessage(), e);
        } finally {
            releaseWrite();
        }
    }

    @Override
    public void close() {
        checkOpen();
        closed = true;
        writeSlot.release(); // wakes a writer waiting in beginWrite, which then sees the close
        try {
            files.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new BackendException("memlog: closing " + directory() + " failed: " + e.getMessage(), e);
        }
    }

    void checkOpen() {
        if (closed) {
            throw new BackendClosedException("memlog: backend " + directory() + " is closed");
        }
    }

    /** Appends {@code frame} (null: nothing changed) and publishes {@code next}; called by the writer holding the slot. */
    void publish(ByteBuffer frame, State next, Durability durability) {
        checkOpen();
        checkWritable();
        if (frame != null) {
            try {
                files.log().append(frame, durability == Durability.SYNC);
            } catch (IOException e) {
                failure = "a log append failed: " + e.getMessage();
                throw new BackendException("memlog: commit to " + directory() + " failed: " + e.getMessage(), e);
            }
        }
        current = next;
    }

    private void acquireWrite() {
        checkOpen();
        writeSlot.acquireUninterruptibly();
        if (closed) {
            writeSlot.release(); // pass the wake-up on to the next waiter
            throw new BackendClosedException("memlog: backend " + directory() + " is closed");
        }
    }

    void releaseWrite() {
        writeSlot.release();
    }

    private void checkWritable() {
        String f = failure;
        if (f != null) {
            throw new BackendException("memlog: " + directory() + " refuses writes after an I/O failure (" + f + "); reopen it");
        }
    }
}
