package kv.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The WAL directory as a whole: its lock, its segment list and leftovers from a crash. Stateless. */
final class WalDir {
    static final String LOCK_FILE = "wal.lock";
    private static final System.Logger LOG = System.getLogger(WalDir.class.getName());

    private WalDir() {}

    static Closeable lock(Fs fs, Path dir) {
        Path lockFile = dir.resolve(LOCK_FILE);
        try {
            Closeable lock = fs.tryLock(lockFile);
            if (lock == null) {
                throw new WalException("wal: " + dir + " is locked by another process (lock file " + lockFile + ")");
            }
            return lock;
        } catch (IOException e) {
            throw new WalException("wal: cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    static List<SegmentName> segments(Fs fs, Path dir) throws IOException {
        List<SegmentName> names = new ArrayList<>();
        for (String n : fs.list(dir)) {
            SegmentName.parse(n).ifPresent(names::add);
        }
        names.sort(null);
        return names;
    }

    static Path checkedDir(Fs fs, Path dir) {
        if (!fs.exists(dir)) {
            throw new WalException("wal: file not found: " + dir + " does not exist");
        }
        return dir;
    }

    static List<SegmentName> checkedSegments(Fs fs, Path dir) throws IOException {
        List<SegmentName> all = segments(fs, dir);
        if (all.isEmpty()) {
            throw new WalException("wal: file not found: no segments in " + dir);
        }
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).seq() != all.get(i - 1).seq() + 1) {
                throw new WalException("wal: segment sequence gap between " + all.get(i - 1).fileName() + " and "
                        + all.get(i).fileName() + " in " + dir);
            }
        }
        return all;
    }

    /** Removes preallocated files a crash left unused; they hold nothing. */
    static void deleteTempFiles(Fs fs, Path dir) throws IOException {
        for (String name : fs.list(dir)) {
            if (name.endsWith(SegmentPipeline.TMP_SUFFIX)) {
                fs.delete(dir.resolve(name));
            }
        }
    }

    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "wal: close failed", e);
        }
    }
}
