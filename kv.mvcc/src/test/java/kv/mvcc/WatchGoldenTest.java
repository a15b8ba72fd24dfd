package kv.mvcc;

import static kv.mvcc.Kv.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.mvccpb.Event;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden-file watch scripts (src/test/resources/kv/mvcc/watch). Commands: {@code put K V},
 * {@code del K [END]}, {@code txn K=V K=V ...} (puts in one revision), {@code compact REV},
 * {@code watch KEY [END|-] [start=REV] [prev] [noput] [nodelete] [progress]} ("-": single key,
 * {@code \0}: open end), {@code cancel ID}, {@code sync}, {@code poll} (every buffered update),
 * {@code progress ID}, {@code progress-all}. The watch buffer holds 2 updates, so slow consumers
 * show parking and catch-up. Rewrite with -Dkv.rewrite=true.
 */
class WatchGoldenTest {
    @TempDir
    Path dir;

    static Stream<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(DataDriven.source("kv/mvcc/watch"))) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void golden(Path file) {
        try (StoreFixture f = new StoreFixture(dir, MvccConfig.defaults().withWatchBufferSize(2).withWatchSyncRevisions(2),
                Engines.MEMORY); WatchStream w = f.store.newWatchStream()) {
            DataDriven.run(file, line -> {
                try {
                    return run(f, w, line.trim().split("\\s+"));
                } catch (MvccException e) {
                    return "error: " + e.getMessage();
                }
            });
        }
    }

    private static String run(StoreFixture f, WatchStream w, String[] a) {
        MvccStore s = f.store;
        return switch (a[0]) {
            case "put" -> "rev " + s.put(put(a[1], a[2]), f.next()).getHeader().getRevision();
            case "del" -> "deleted " + s.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs(a[1]))
                    .setRangeEnd(a.length > 2 ? bs(a[2].replace("\\0", "\0")) : bs("")).build(), f.next()).getDeleted();
            case "txn" -> {
                TxnRequest.Builder t = TxnRequest.newBuilder();
                for (int i = 1; i < a.length; i++) {
                    String[] kv = a[i].split("=");
                    t.addSuccess(op(put(kv[0], kv[1])));
                }
                yield "rev " + s.txn(t.build(), f.next()).getHeader().getRevision();
            }
            case "compact" -> {
                s.compact(Long.parseLong(a[1]), f.next()).run();
                yield "compacted " + a[1];
            }
            case "watch" -> "watch " + watch(w, a);
            case "cancel" -> "cancelled " + w.cancel(Long.parseLong(a[1]));
            case "sync" -> "unsynced " + s.syncWatchers();
            case "progress" -> "queued " + w.requestProgress(Long.parseLong(a[1]));
            case "progress-all" -> "queued " + w.requestProgressAll();
            case "poll" -> poll(w);
            default -> throw new IllegalArgumentException("unknown command " + a[0]);
        };
    }

    private static long watch(WatchStream w, String[] a) {
        byte[] end = null;
        long start = 0;
        boolean prev = false;
        boolean progress = false;
        Set<WatchFilter> filters = EnumSet.noneOf(WatchFilter.class);
        for (int i = 2; i < a.length; i++) {
            String o = a[i];
            if (o.startsWith("start=")) {
                start = Long.parseLong(o.substring(6));
            } else if (o.equals("prev")) {
                prev = true;
            } else if (o.equals("progress")) {
                progress = true;
            } else if (o.equals("noput")) {
                filters.add(WatchFilter.NOPUT);
            } else if (o.equals("nodelete")) {
                filters.add(WatchFilter.NODELETE);
            } else if (i == 2 && !o.equals("-")) {
                end = o.equals("\\0") ? new byte[0] : o.getBytes(StandardCharsets.UTF_8);
            }
        }
        return w.watch(0, a[1].getBytes(StandardCharsets.UTF_8), end, start, filters, prev, progress);
    }

    private static String poll(WatchStream w) {
        StringBuilder sb = new StringBuilder();
        for (WatchUpdate u = w.poll(); u != null; u = w.poll()) {
            sb.append("watch ").append(u.watchId()).append(" rev ").append(u.revision());
            if (u.compactRevision() != 0) {
                sb.append(" compacted ").append(u.compactRevision());
            }
            if (u.isProgress()) {
                sb.append(" progress");
            }
            for (Event e : u.events()) {
                sb.append("\n  ").append(e.getType()).append(' ').append(e.getKv().getKey().toStringUtf8());
                if (e.getType() == Event.EventType.PUT) {
                    sb.append('=').append(e.getKv().getValue().toStringUtf8());
                }
                sb.append(" @").append(e.getKv().getModRevision());
                if (e.hasPrevKv()) {
                    sb.append(" prev=").append(e.getPrevKv().getValue().toStringUtf8());
                }
            }
            sb.append('\n');
        }
        return sb.isEmpty() ? "(nothing)" : sb.toString();
    }
}
