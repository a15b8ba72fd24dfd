package example.kv.backend.memlog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import kv.backend.BackendCorruptedException;

/**
 * The commit log of one generation: a header, then one frame per committed transaction, appended
 * and (for SYNC commits) forced before the commit returns.
 *
 * <p>Recovery: a process killed in the middle of an append leaves a partial last frame (short, or
 * failing its checksum, or zeros where the file was extended but not written). {@link #replay}
 * treats exactly that as a torn tail, cuts it off and goes on; a bad frame with intact data after
 * it is not a torn append but damage, and is refused with {@link BackendCorruptedException}.
 *
 * <p>Owns its channel until {@link #close}. Not thread-safe: the backend appends under its write slot.
 */
final class LogFile implements Closeable {
    private static final System.Logger LOG = System.getLogger(LogFile.class.getName());

    private final Path path;
    private final FileChannel ch;
    private volatile long size;

    private LogFile(Path path, FileChannel ch, long size) {
        this.path = path;
        this.ch = ch;
        this.size = size;
    }

    /** Creates an empty log for {@code generation} (failing if the file exists) and forces it. */
    static LogFile create(Path path, long generation) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            writeFully(ch, Codec.header(Codec.LOG_MAGIC, generation), 0);
            ch.force(true);
            return new LogFile(path, ch, Codec.HEADER);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens the log of {@code generation}, applies every intact frame to {@code into} in order and
     * cuts a torn tail; the returned log appends after the last intact frame.
     */
    static LogFile replay(Path path, long generation, Changes into) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long fileSize = ch.size();
            ByteBuffer h = readFully(ch, Codec.HEADER, 0, fileSize, path);
            long g = Codec.checkHeader(h, Codec.LOG_MAGIC, path.toString());
            if (g != generation) {
                throw new BackendCorruptedException("memlog: " + path + " belongs to generation " + g + ", expected " + generation);
            }
            long end = applyFrames(ch, path, fileSize, into);
            if (end < fileSize) {
                LOG.log(System.Logger.Level.WARNING, "memlog: cutting a torn tail of {0} bytes at offset {1} of {2}",
                        fileSize - end, end, path);
                ch.truncate(end);
                ch.force(true);
            }
            return new LogFile(path, ch, end);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Applies frames from the header on; returns the offset after the last intact one. */
    private static long applyFrames(FileChannel ch, Path path, long fileSize, Changes into) throws IOException {
        long pos = Codec.HEADER;
        while (fileSize - pos >= Codec.FRAME_HEADER) {
            ByteBuffer fh = readFully(ch, Codec.FRAME_HEADER, pos, fileSize, path);
            int len = fh.getInt();
            int crc = fh.getInt();
            long frameEnd = pos + Codec.FRAME_HEADER + len;
            if (len <= 0) {
                requireZerosFrom(ch, pos, fileSize, path);
                return pos; // a file extended by a torn append, never written
            }
            if (frameEnd > fileSize) {
                return pos; // an append cut short
            }
            byte[] payload = readFully(ch, len, pos + Codec.FRAME_HEADER, fileSize, path).array();
            if (Codec.crc(payload, 0, len) != crc) {
                if (frameEnd == fileSize) {
                    return pos; // the last append, partly written
                }
                throw new BackendCorruptedException("memlog: checksum mismatch in the frame at offset " + pos + " of " + path
                        + " with " + (fileSize - frameEnd) + " bytes after it: the log is damaged, not torn");
            }
            Replay.apply(new Codec.In(payload, path + " at offset " + pos), into);
            pos = frameEnd;
        }
        return pos;
    }

    private static void requireZerosFrom(FileChannel ch, long pos, long fileSize, Path path) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        for (long p = pos; p < fileSize; ) {
            b.clear().limit((int) Math.min(b.capacity(), fileSize - p));
            int n = ch.read(b, p);
            for (int i = 0; i < n; i++) {
                if (b.get(i) != 0) {
                    throw new BackendCorruptedException("memlog: bad frame length at offset " + pos + " of " + path
                            + " with data after it: the log is damaged, not torn");
                }
            }
            p += n;
        }
    }

    /** Appends one frame; with {@code sync} forces it to stable storage before returning. */
    void append(ByteBuffer frame, boolean sync) throws IOException {
        long at = size;
        int n = frame.remaining();
        writeFully(ch, frame, at);
        if (sync) {
            ch.force(false);
        }
        size = at + n;
    }

    void force() throws IOException {
        ch.force(false);
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, int n, long at, long fileSize, Path path) throws IOException {
        if (at + n > fileSize) {
            throw new BackendCorruptedException("memlog: " + path + " is shorter than its header");
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        long p = at;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new BackendCorruptedException("memlog: " + path + " ended while reading at offset " + p);
            }
            p += r;
        }
        return b.flip();
    }
}
