package kv.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The file operations the WAL and the snapshotter perform, and nothing else: the seam where tests
 * record operations (to build crash states) or inject faults. {@link NioFs} is the real one.
 */
interface Fs {
    /** Opens an existing file for reading and writing. */
    Handle open(Path file) throws IOException;

    /** Creates a new file (failing if it exists) open for reading and writing. */
    Handle create(Path file) throws IOException;

    /** The names of the entries of {@code dir}, in no particular order. */
    List<String> list(Path dir) throws IOException;

    /** Creates {@code dir} and its missing parents. */
    void createDirectories(Path dir) throws IOException;

    boolean exists(Path path);

    /** Atomically replaces {@code to} with {@code from}. */
    void rename(Path from, Path to) throws IOException;

    void delete(Path file) throws IOException;

    /** Makes the directory entries of {@code dir} (creations, renames, deletions) durable. */
    void syncDir(Path dir) throws IOException;

    /**
     * Takes an exclusive lock on {@code lockFile} (created when missing) that other processes see;
     * null when someone else holds it.
     */
    Closeable tryLock(Path lockFile) throws IOException;

    /** An open file. Not thread-safe for concurrent writes; reads and writes are positional. */
    interface Handle extends Closeable {
        /** Reads into {@code dst} from {@code position} until dst is full or end of file; returns bytes read. */
        int read(ByteBuffer dst, long position) throws IOException;

        /** Writes all of {@code src} at {@code position}. */
        void write(ByteBuffer src, long position) throws IOException;

        /** Makes the file's data durable (fdatasync). */
        void force() throws IOException;

        void truncate(long size) throws IOException;

        long size() throws IOException;

        Path path();
    }
}
