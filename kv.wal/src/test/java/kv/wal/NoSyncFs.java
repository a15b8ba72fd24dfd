package kv.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Real files without fsyncs: for checking thousands of crash states, where the durability of the
 * checking run itself does not matter and fsyncs would only make it slow.
 */
final class NoSyncFs implements Fs {
    private final Fs real = NioFs.INSTANCE;

    @Override
    public Handle open(Path file) throws IOException {
        return new NoSync(real.open(file));
    }

    @Override
    public Handle create(Path file) throws IOException {
        return new NoSync(real.create(file));
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
    }

    @Override
    public void delete(Path file) throws IOException {
        real.delete(file);
    }

    @Override
    public void syncDir(Path dir) {}

    @Override
    public Closeable tryLock(Path lockFile) throws IOException {
        return real.tryLock(lockFile);
    }

    private record NoSync(Handle h) implements Handle {
        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return h.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            h.write(src, position);
        }

        @Override
        public void force() {}

        @Override
        public void truncate(long size) throws IOException {
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
