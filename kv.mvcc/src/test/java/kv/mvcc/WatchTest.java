package kv.mvcc;

import static kv.mvcc.Kv.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.WatchCreateRequest;
import kv.api.mvccpb.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch guarantees: events ordered by revision, no duplicates, a revision's events together,
 * resumable from the last revision seen; catch-up from old revisions while writes go on; parked
 * slow watchers; filters, prev_kv, progress, cancel, compaction.
 */
class WatchTest {
    @TempDir
    Path dir;
    StoreFixture f;

    @AfterEach
    void close() {
        f.close();
    }

    private MvccStore store(int buffer) {
        return store(MvccConfig.defaults().withWatchBufferSize(buffer).withWatchSyncRevisions(7));
    }

    private MvccStore store(MvccConfig config) {
        f = new StoreFixture(dir, config, Engines.MEMORY);
        return f.store;
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<WatchUpdate> drain(WatchStream w) {
        List<WatchUpdate> out = new ArrayList<>();
        for (WatchUpdate u = w.poll(); u != null; u = w.poll()) {
            out.add(u);
        }
        return out;
    }

    @Test
    void liveEventsOfOneRevisionComeTogether() {
        MvccStore s = store(128);
        try (WatchStream w = s.newWatchStream()) {
            long id = w.watch(WatchCreateRequest.newBuilder().setKey(bs("a")).setRangeEnd(ALL).setPrevKv(true).build());
            s.put(put("a", "1"), f.next());
            s.txn(TxnRequest.newBuilder().addSuccess(op(put("b", "1"))).addSuccess(op(put("a", "2")))
                    .addSuccess(op(del("c"))).build(), f.next());
            s.deleteRange(del("a"), f.next());
            List<WatchUpdate> us = drain(w);
            assertEquals(3, us.size());
            assertEquals(id, us.get(0).watchId());
            assertEquals(List.of("b", "a"), us.get(1).events().stream().map(e -> e.getKv().getKey().toStringUtf8()).toList());
            assertEquals(3, us.get(1).revision());
            Event put = us.get(1).events().get(1);
            assertEquals("1", put.getPrevKv().getValue().toStringUtf8());
            Event del = us.get(2).events().getFirst();
            assertEquals(Event.EventType.DELETE, del.getType());
            assertEquals(4, del.getKv().getModRevision());
            assertEquals("2", del.getPrevKv().getValue().toStringUtf8());
            assertFalse(us.get(0).events().getFirst().hasPrevKv(), "a creation has no previous version");
        }
    }

    @Test
    void filtersAndSingleKeys() {
        MvccStore s = store(128);
        try (WatchStream w = s.newWatchStream()) {
            long noPut = w.watch(0, b("k"), null, 0, EnumSet.of(WatchFilter.NOPUT), false, false);
            long noDel = w.watch(0, b("k"), null, 0, EnumSet.of(WatchFilter.NODELETE), false, false);
            s.put(put("k", "1"), f.next());
            s.put(put("kk", "1"), f.next());
            s.deleteRange(del("k"), f.next());
            List<WatchUpdate> us = drain(w);
            assertEquals(2, us.size());
            assertEquals(noDel, us.get(0).watchId());
            assertEquals(noPut, us.get(1).watchId());
            assertEquals(Event.EventType.DELETE, us.get(1).events().getFirst().getType());
        }
    }

    @Test
    void catchUpFromAnOldRevisionThroughAFullBuffer() {
        MvccStore s = store(2);
        for (int i = 0; i < 30; i++) {
            s.put(put("k" + (i % 4), "v" + i), f.next());
        }
        try (WatchStream w = s.newWatchStream()) {
            w.watch(0, b("k"), new byte[0], 4, Set.of(), false, false); // the third write's revision
            List<Event> seen = new ArrayList<>();
            // writes go on while it catches up; a slow consumer lets the buffer fill, parking the watcher
            for (int round = 0; round < 30; round++) {
                s.put(put("k" + (round % 4), "w" + round), f.next());
                s.syncWatchers();
                if (round % 3 == 0) {
                    drain(w).forEach(u -> seen.addAll(u.events()));
                }
            }
            // the writes stop; the consumer keeps up and the watcher syncs
            for (int i = 0; i < 40 && (s.syncWatchers() > 0 || i < 2); i++) {
                drain(w).forEach(u -> seen.addAll(u.events()));
            }
            drain(w).forEach(u -> seen.addAll(u.events()));
            assertEquals(61, s.currentRevision(), "60 writes after revision 1");
            assertOrderedComplete(seen, 4, 61);
            s.put(put("k1", "live"), f.next());
            assertEquals(62, drain(w).getFirst().events().getFirst().getKv().getModRevision(), "synced again");
        }
    }

    /** With a commit per write, and with batches (catch-up then reads uncommitted revisions too). */
    @org.junit.jupiter.params.ParameterizedTest(name = "commit batch {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 64})
    void concurrentWriterSyncerAndConsumer(int batch) throws Exception {
        MvccStore s = store(MvccConfig.defaults().withWatchBufferSize(4).withWatchSyncRevisions(7)
                .withCommitBatch(batch, Duration.ofSeconds(1)));
        for (int i = 0; i < 100; i++) {
            s.put(put("k" + (i % 10), "v" + i), f.next());
        }
        s.commit(); // the writer thread owns the batches from here
        int writes = 2000;
        try (WatchStream w = s.newWatchStream()) {
            // from revision 1, the empty store's (as etcd allows): every change, the first being revision 2
            w.watch(0, b("k"), new byte[0], 1, Set.of(), false, false);
            AtomicBoolean done = new AtomicBoolean();
            java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
            Thread.UncaughtExceptionHandler record = (t, e) -> {
                errors.add(e);
                done.set(true);
            };
            Thread writer = Thread.ofPlatform().uncaughtExceptionHandler(record).start(() -> {
                for (int i = 0; i < writes; i++) {
                    if (i % 7 == 0) {
                        s.txn(TxnRequest.newBuilder().addSuccess(op(put("k1", "t" + i))).addSuccess(op(put("k2", "t" + i))).build(), f.next());
                    } else {
                        s.put(put("k" + (i % 10), "w" + i), f.next());
                    }
                }
                s.commit();
                done.set(true);
            });
            Thread syncer = Thread.ofPlatform().uncaughtExceptionHandler(record).start(() -> {
                while (!done.get() || s.syncWatchers() > 0) {
                    s.syncWatchers();
                    Thread.onSpinWait();
                }
            });
            List<WatchUpdate> got = new ArrayList<>();
            long last = 0;
            while (last < 1 + 100 + writes) {
                WatchUpdate u = w.poll(Duration.ofSeconds(20));
                if (u == null) {
                    break;
                }
                got.add(u);
                if (!u.events().isEmpty()) {
                    last = u.events().getLast().getKv().getModRevision();
                }
            }
            writer.join();
            syncer.join();
            assertEquals(List.of(), List.copyOf(errors));
            List<Event> seen = new ArrayList<>();
            for (WatchUpdate u : got) {
                // all events of a revision in one update: the next update starts at a later revision
                seen.addAll(u.events());
            }
            assertOrderedComplete(seen, 2, 1 + 100 + writes);
            long txnEvents = seen.stream().filter(e -> e.getKv().getValue().toStringUtf8().startsWith("t")).count();
            assertEquals(2 * ((writes + 6) / 7), txnEvents);
            for (int i = 1; i < got.size(); i++) {
                if (!got.get(i).events().isEmpty() && !got.get(i - 1).events().isEmpty()) {
                    assertTrue(got.get(i).events().getFirst().getKv().getModRevision()
                            > got.get(i - 1).events().getLast().getKv().getModRevision(), "a revision split over two updates");
                }
            }
        }
    }

    /** Every revision from..to exactly once, in order (each revision here changed watched keys). */
    private static void assertOrderedComplete(List<Event> seen, long from, long to) {
        List<Long> revs = new ArrayList<>();
        for (Event e : seen) {
            long r = e.getKv().getModRevision();
            if (revs.isEmpty() || revs.getLast() != r) {
                revs.add(r);
            }
        }
        for (int i = 0; i < revs.size(); i++) {
            assertEquals(from + i, revs.get(i), "revision " + (from + i) + " missing, duplicated or out of order");
        }
        assertEquals(to - from + 1, revs.size(), "revisions seen: " + from + ".." + (revs.isEmpty() ? "" : revs.getLast()));
    }

    @Test
    void resumableFromTheLastRevisionSeen() {
        MvccStore s = store(128);
        List<Event> seen = new ArrayList<>();
        try (WatchStream w = s.newWatchStream()) {
            long id = w.watch(0, b("a"), null, 0, Set.of(), false, false);
            for (int i = 0; i < 5; i++) {
                s.put(put("a", "" + i), f.next());
            }
            drain(w).forEach(u -> seen.addAll(u.events()));
            assertTrue(w.cancel(id));
            s.put(put("a", "gap"), f.next());
            assertNull(w.poll(), "a cancelled watcher gets nothing");
            w.watch(0, b("a"), null, seen.getLast().getKv().getModRevision() + 1, Set.of(), false, false);
            s.put(put("a", "after"), f.next());
            s.syncWatchers();
            s.syncWatchers();
            drain(w).forEach(u -> seen.addAll(u.events()));
        }
        assertOrderedComplete(seen, 2, 8);
    }

    @Test
    void compactedStartRevisionIsReported() {
        MvccStore s = store(128);
        for (int i = 0; i < 10; i++) {
            s.put(put("a", "" + i), f.next());
        }
        s.compact(7, f.next()).run();
        try (WatchStream w = s.newWatchStream()) {
            long old = w.watch(0, b("a"), null, 3, Set.of(), false, false);
            long atCompact = w.watch(0, b("a"), null, 7, Set.of(), false, false);
            s.syncWatchers();
            List<WatchUpdate> us = drain(w);
            WatchUpdate compacted = us.stream().filter(u -> u.watchId() == old).findFirst().orElseThrow();
            assertEquals(7, compacted.compactRevision());
            assertFalse(w.watchIds().contains(old), "the watcher is gone");
            List<Long> revs = us.stream().filter(u -> u.watchId() == atCompact).flatMap(u -> u.events().stream())
                    .map(e -> e.getKv().getModRevision()).toList();
            assertEquals(List.of(7L, 8L, 9L, 10L, 11L), revs);
        }
    }

    @Test
    void progress() {
        MvccStore s = store(128);
        s.put(put("x", "1"), f.next());
        try (WatchStream w = s.newWatchStream()) {
            long live = w.watch(0, b("a"), null, 0, Set.of(), false, true);
            assertTrue(w.requestProgress(live));
            WatchUpdate p = w.poll();
            assertTrue(p.isProgress());
            assertEquals(2, p.revision());
            long behind = w.watch(0, b("x"), null, 2, Set.of(), false, false);
            assertFalse(w.requestProgress(behind), "an unsynced watcher cannot promise progress");
            assertFalse(w.requestProgressAll());
            s.syncWatchers();
            drain(w);
            assertTrue(w.requestProgressAll());
            assertEquals(-1, w.poll().watchId());
            s.put(put("b", "1"), f.next());
            assertEquals(1, w.progressNotify(), "only the watcher that asked for progress_notify");
            assertEquals(3, w.poll().revision());
            s.put(put("a", "1"), f.next());
            drain(w);
            assertEquals(0, w.progressNotify(), "it got events since the last round");
        }
    }
}
