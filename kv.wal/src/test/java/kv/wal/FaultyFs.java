package kv.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The real file system that fails the {@code failAt}-th call that changes something (create, write,
 * fsync, truncate, rename, delete, directory fsync; counted from 1 across all threads) with an
 * IOException, and remembers where it struck.
 */
final class FaultyFs implements Fs {
    private final Fs real = NioFs.INSTANCE;
    private final int failAt;
    private final String kind;
    private int calls;
    private int kindCalls;
    private String struck;
    private boolean struckOnPipeline;
    private int renamesAfterFault;

    FaultyFs(int failAt) {
        this.failAt = failAt;
        this.kind = null;
    }

    /** Fails the {@code nth} call of {@code kind} ("write", "fsync", ...) made outside the preallocation thread. */
    FaultyFs(String kind, int nth) {
        this.failAt = nth;
        this.kind = kind;
    }

    synchronized int calls() {
        return calls;
    }

    /** What the fault hit, or null when it did not strike. */
    synchronized String struck() {
        return struck;
    }

    synchronized boolean struckOnPipeline() {
        return struckOnPipeline;
    }

    /**
     * Whether a preallocated file numbered at or after the struck one became a segment: the pipeline
     * would then have carried on after its failure.
     */
    synchronized boolean usedPreallocationAfterFault() {
        return renamesAfterFault > 0;
    }

    private synchronized void call(String what, Path path) throws IOException {
        calls++;
        boolean pipeline = Thread.currentThread().getName().startsWith("kv-wal-preallocate");
        if (kind != null && (!kind.equals(what) || pipeline || ++kindCalls != failAt)) {
            return;
        }
        if (kind != null || calls == failAt) {
            struck = what + " " + path.getFileName();
            struckOnPipeline = pipeline;
            throw new IOException("injected fault at call " + calls + ": " + struck);
        }
    }

    private static long tmpNumber(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".tmp") && n.chars().limit(n.length() - 4).allMatch(Character::isDigit)
                ? Long.parseLong(n.substring(0, n.length() - 4)) : -1;
    }

    @Override
    public Handle open(Path file) throws IOException {
        return new Faulty(real.open(file));
    }

    @Override
    public Handle create(Path file) throws IOException {
        call("create", file);
        return new Faulty(real.create(file));
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    @Override
    public boolean exists(Path path) {
        return real.exists(path);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        call("rename", from);
        synchronized (this) {
            if (struck != null && struckOnPipeline && tmpNumber(from) >= tmpNumber(Path.of(struck.split(" ")[1]))) {
                renamesAfterFault++;
            }
        }
        real.rename(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
        call("delete", file);
        real.delete(file);
    }

    @Override
    public void syncDir(Path dir) throws IOException {
        call("syncDir", dir);
        real.syncDir(dir);
    }

    @Override
    public Closeable tryLock(Path lockFile) throws IOException {
        return real.tryLock(lockFile);
    }

    private final class Faulty implements Handle {
        private final Handle h;

        Faulty(Handle h) {
            this.h = h;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return h.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            call("write", h.path());
            h.write(src, position);
        }

        @Override
        public void force() throws IOException {
            call("fsync", h.path());
            h.force();
        }

        @Override
        public void truncate(long size) throws IOException {
            call("truncate", h.path());
            h.truncate(size);
        }

        @Override
        public long size() throws IOException {
            return h.size();
        }

        @Override
        public Path path() {
            return h.path();
        }

        @Override
        public void close() throws IOException {
            h.close();
        }
    }
}
