package example.kv.backend.memlog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a memlog directory. Generation {@code g} is {@code checkpoint-g} (absent for
 * generation 0, the empty store) plus {@code log-g}, the commits after it. The current generation
 * is the highest one with a checkpoint under its final name, because a checkpoint is renamed into
 * place only once it is complete and forced, after the next log exists:
 *
 * <ol>
 *   <li>write {@code checkpoint-(g+1).tmp} and force it;
 *   <li>create the empty {@code log-(g+1)} and force it;
 *   <li>rename the checkpoint to {@code checkpoint-(g+1)} and force the directory (the switch);
 *   <li>delete {@code checkpoint-g} and {@code log-g}.
 * </ol>
 *
 * A crash before step 3 leaves generation g whole (recovery deletes the new files); after it,
 * generation g+1 is whole (recovery deletes the old ones). Not thread-safe: the backend calls it
 * under its write slot.
 */
final class Generations implements Closeable {
    private static final String CHECKPOINT = "checkpoint-";
    private static final String LOG = "log-";
    private static final String TMP = ".tmp";

    private final Path dir;
    private long generation;
    // volatile: read without the write slot by sizeOnDisk() and sync()
    private volatile long checkpointSize;
    private volatile LogFile log;

    private Generations(Path dir, long generation, long checkpointSize, LogFile log) {
        this.dir = dir;
        this.generation = generation;
        this.checkpointSize = checkpointSize;
        this.log = log;
    }

    /** The files and the state recovered from them. */
    record Recovered(Generations files, State state) {}

    /** Finds the current generation, loads its checkpoint, replays its log and removes leftovers. */
    static Recovered recover(Path dir) throws IOException {
        long g = -1;
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            if (n.startsWith(CHECKPOINT) && !n.endsWith(TMP)) {
                g = Math.max(g, parse(n.substring(CHECKPOINT.length()), p));
            }
        }
        long generation = Math.max(g, 0);
        Path checkpoint = dir.resolve(CHECKPOINT + name(generation));
        State base = g < 0 ? State.EMPTY : Checkpoint.load(checkpoint, generation);
        long checkpointSize = g < 0 ? 0 : Files.size(checkpoint);
        Path logPath = dir.resolve(LOG + name(generation));
        LogFile log;
        State state;
        if (Files.exists(logPath)) {
            Changes changes = new Changes(base);
            log = LogFile.replay(logPath, generation, changes);
            state = changes.freeze();
        } else {
            log = LogFile.create(logPath, generation);
            state = base;
        }
        Generations files = new Generations(dir, generation, checkpointSize, log);
        files.deleteAllBut(generation);
        return new Recovered(files, state);
    }

    LogFile log() {
        return log;
    }

    long sizeOnDisk() {
        return checkpointSize + log.size();
    }

    /**
     * Moves to the next generation with a checkpoint of {@code state}, which must be the state the
     * current log leads to.
     *
     * @throws IOException when the new generation could not be made; the current one stays in use
     * @throws IllegalStateException when the switch happened but the old log could not be replaced
     *     in memory: the backend must refuse further writes
     */
    void checkpoint(State state) throws IOException {
        long next = generation + 1;
        Path tmp = dir.resolve(CHECKPOINT + name(next) + TMP);
        Path nextLog = dir.resolve(LOG + name(next));
        LogFile newLog = null;
        long size;
        try {
            size = Checkpoint.write(tmp, next, state);
            newLog = LogFile.create(nextLog, next);
            Files.move(tmp, dir.resolve(CHECKPOINT + name(next)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (newLog != null) {
                newLog.close();
            }
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(nextLog);
            throw e;
        }
        try {
            syncDir(); // the switch is durable from here
            LogFile old = log;
            log = newLog;
            generation = next;
            checkpointSize = size;
            old.close();
            deleteAllBut(next);
        } catch (IOException e) {
            throw new IllegalStateException("generation " + next + " was switched to but not made durable: " + e.getMessage(), e);
        }
    }

    /** Deletes every file of another generation and every temporary file, then forces the directory. */
    private void deleteAllBut(long keep) throws IOException {
        List<Path> doomed = new ArrayList<>();
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            boolean ours = n.equals(CHECKPOINT + name(keep)) || n.equals(LOG + name(keep));
            if (!ours && (n.startsWith(CHECKPOINT) || n.startsWith(LOG))) {
                doomed.add(p);
            }
        }
        for (Path p : doomed) {
            Files.delete(p);
        }
        if (!doomed.isEmpty()) {
            syncDir();
        }
    }

    private void syncDir() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Forces the log (so NO_SYNC commits outlive a clean close even on a power cut) and closes it. */
    @Override
    public void close() throws IOException {
        try {
            log.force();
        } finally {
            log.close();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static String name(long generation) {
        return String.format("%016x", generation);
    }

    private static long parse(String hex, Path p) {
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new kv.backend.BackendCorruptedException("memlog: unexpected file " + p);
        }
    }
}
