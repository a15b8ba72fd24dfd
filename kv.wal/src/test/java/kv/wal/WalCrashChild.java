package kv.wal;

import static kv.wal.Workloads.*;

import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link ProcessCrashTest} kills: opens (or creates) the log in {@code args[0]} and
 * appends one 256-byte entry per synced save forever, printing each index once its save returned,
 * so every printed index is acknowledged as durable. Prints "ready" before the first save.
 */
public final class WalCrashChild {
    private WalCrashChild() {}

    public static void main(String[] args) {
        WalConfig cfg = new WalConfig(Path.of(args[0]), ByteSize.ofKibibytes(64));
        Wal w;
        long next;
        if (Wal.exists(cfg.dir())) {
            w = Wal.open(cfg, SnapshotPosition.ZERO);
            next = w.readAll().lastIndex(0) + 1;
        } else {
            w = Wal.create(cfg, META);
            next = 1;
        }
        System.out.println("ready " + next);
        System.out.flush();
        for (long i = next; ; i++) {
            // batches of 1 to 3 entries, so kills also land inside multi-entry writes
            int n = (int) (i % 3) + 1;
            w.save(state(1, i - 1), entries(i, i + n - 1, 1, 256), true);
            i += n - 1;
            System.out.println(i);
            System.out.flush();
        }
    }

    static List<String> command(Path dir) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), WalCrashChild.class.getName(),
                dir.toString());
    }
}
