package kv.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real file system, recording every operation that changes a file or directory in the order
 * they completed, with files identified across renames, so that crash states can be built from it.
 * Paths are recorded relative to {@code root}.
 */
final class RecordingFs implements Fs {
    /** A recorded operation. */
    sealed interface Op {
        record Create(int file, Path path) implements Op {}

        record Write(int file, long position, byte[] data) implements Op {}

        record Force(int file) implements Op {}

        record Truncate(int file, long size) implements Op {}

        record Rename(Path from, Path to) implements Op {}

        record Delete(Path path) implements Op {}

        record SyncDir(Path dir) implements Op {}
    }

    private final Fs real = NioFs.INSTANCE;
    private final Path root;
    private final List<Op> ops = new ArrayList<>();
    private final Map<Path, Integer> ids = new HashMap<>();
    private int nextId;

    RecordingFs(Path root) {
        this.root = root;
    }

    synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    synchronized int count() {
        return ops.size();
    }

    private Path rel(Path p) {
        return root.relativize(p);
    }

    @Override
    public Handle open(Path file) throws IOException {
        Handle h = real.open(file);
        synchronized (this) {
            Integer id = ids.get(rel(file));
            if (id == null) {
                throw new IllegalStateException("opened a file not created through the recording layer: " + file);
            }
            return new Recorded(h, id);
        }
    }

    @Override
    public Handle create(Path file) throws IOException {
        Handle h = real.create(file);
        synchronized (this) {
            int id = nextId++;
            ids.put(rel(file), id);
            ops.add(new Op.Create(id, rel(file)));
            return new Recorded(h, id);
        }
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
        real.rename(from, to);
        synchronized (this) {
            ids.put(rel(to), ids.remove(rel(from)));
            ops.add(new Op.Rename(rel(from), rel(to)));
        }
    }

    @Override
    public void delete(Path file) throws IOException {
        real.delete(file);
        synchronized (this) {
            ids.remove(rel(file));
            ops.add(new Op.Delete(rel(file)));
        }
    }

    @Override
    public void syncDir(Path dir) throws IOException {
        real.syncDir(dir);
        synchronized (this) {
            ops.add(new Op.SyncDir(rel(dir)));
        }
    }

    @Override
    public Closeable tryLock(Path lockFile) throws IOException {
        return real.tryLock(lockFile);
    }

    private final class Recorded implements Handle {
        private final Handle h;
        private final int id;

        Recorded(Handle h, int id) {
            this.h = h;
            this.id = id;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return h.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            byte[] data = new byte[src.remaining()];
            src.duplicate().get(data);
            h.write(src, position);
            synchronized (RecordingFs.this) {
                ops.add(new Op.Write(id, position, data));
            }
        }

        @Override
        public void force() throws IOException {
            h.force();
            synchronized (RecordingFs.this) {
                ops.add(new Op.Force(id));
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            h.truncate(size);
            synchronized (RecordingFs.this) {
                ops.add(new Op.Truncate(id, size));
            }
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
