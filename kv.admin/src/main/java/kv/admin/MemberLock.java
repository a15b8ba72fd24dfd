package kv.admin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Proof that no member runs on a data directory: the lock kv.wal takes on {@code member/wal/wal.lock}
 * for as long as a member has its log open, taken here instead. Held by an offline operation from
 * its checks to its end, so that kvd cannot start on the directory half way through (its WAL open
 * fails on the lock). A directory without {@code member/wal} never ran a member: nothing to lock.
 * Not thread-safe; close once.
 */
final class MemberLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private MemberLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks the member's WAL directory.
     *
     * @throws MigrationException when the lock is held: the member is running
     */
    static MemberLock acquire(DataDir dir, String operation) {
        Path wal = dir.wal();
        if (!Files.isDirectory(wal)) {
            return new MemberLock(null, null);
        }
        Path file = wal.resolve("wal.lock");
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = tryLock(ch);
            if (l == null) {
                ch.close();
                throw new MigrationException(operation + ": the member on " + dir.root() + " appears to be running ("
                        + file + " is locked): stop kvd first");
            }
            return new MemberLock(ch, l);
        } catch (IOException e) {
            throw new MigrationException(operation + ": cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM: a member running in-process
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock dies with the channel or the process; nothing was written through it
        }
    }
}
