package kv.mvcc;

import static kv.mvcc.Kv.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import kv.api.etcdserverpb.HashKVRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.mvccpb.Event;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendSnapshot;
import kv.mvcc.lease.LeaseInfo;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MvccStore#restoreFrom}: a store with other content takes over a leader's snapshot in place
 * and then answers exactly as the leader's store does (ranges at every revision, revisions, applied
 * index, leases, hashes), its open watchers resume from the new content, and a bad snapshot fails it.
 */
class RestoreFromSnapshotTest {
    private static final ByteString ALL_KEYS = ByteString.copyFrom(new byte[] {0});
    /** A's compaction revision; A's history is {@link #A_REVISION} revisions long. */
    private static final long A_COMPACT = 8;
    private static final long A_REVISION = 17;

    @TempDir
    Path dir;

    static Stream<Named<Engines.Engine>> engines() {
        return Engines.all();
    }

    /** Store A: puts, deletes, txns, leases with keys (one revoked), a compaction, writes after it. */
    private static StoreFixture storeA(Path dir, Engines.Engine engine) {
        StoreFixture a = new StoreFixture(dir.resolve("a"), MvccConfig.defaults().withCompactionBatchLimit(2), engine);
        MvccStore s = a.store;
        s.lessor().grant(a.next(), 100, 60);
        s.lessor().grant(a.next(), 200, 30);
        s.put(put("w/a", "1"), a.next()); // 2
        s.put(leased("w/b", "1", 100), a.next()); // 3
        s.put(put("x", "1"), a.next()); // 4
        s.put(leased("w/c", "1", 200), a.next()); // 5
        s.put(put("w/a", "2"), a.next()); // 6
        s.deleteRange(del("x"), a.next()); // 7
        s.txn(TxnRequest.newBuilder().addCompare(versionIs("w/a", 2)).addSuccess(op(put("w/a", "3")))
                .addSuccess(op(leased("w/d", "1", 100))).addSuccess(op(del("w/b"))).build(), a.next()); // 8
        s.compact(A_COMPACT, a.next()).run();
        s.put(put("x", "2"), a.next()); // 9
        s.lessor().revoke(a.next(), 200); // 10: deletes w/c
        s.put(leased("w/e", "1", 100), a.next()); // 11
        s.lessor().checkpoint(a.next(), 100, 45);
        s.txn(TxnRequest.newBuilder().addCompare(versionIs("w/a", 7)).addSuccess(op(put("never", "1")))
                .addFailure(op(put("w/f", "1"))).addFailure(op(put("w/a", "4"))).build(), a.next()); // 12
        for (int i = 13; i <= A_REVISION; i++) {
            s.put(put("w/g" + (i % 2), "v" + i), a.next());
        }
        assertEquals(A_REVISION, s.currentRevision());
        return a;
    }

    /** Store B: other content, a revision {@code revision}, a lease with a key, applied index below A's. */
    private static StoreFixture storeB(Path dir, Engines.Engine engine, MvccConfig config, int revision) {
        StoreFixture b = new StoreFixture(dir.resolve("b"), config, engine);
        b.store.lessor().grant(b.next(), 300, 90);
        b.store.put(leased("w/z", "b", 300), b.next());
        for (long r = b.store.currentRevision(); r < revision; r = b.store.currentRevision()) {
            b.store.put(put("w/b" + (r % 3), "b" + r), b.next());
        }
        return b;
    }

    private static PutRequest leased(String k, String v, long lease) {
        return put(k, v).toBuilder().setLease(lease).build();
    }

    private static byte[] snapshot(StoreFixture f) {
        f.store.commit();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackendSnapshot.write(f.backend, out);
        return out.toByteArray();
    }

    private static RangeResponse all(MvccStore s, long rev) {
        return s.range(RangeRequest.newBuilder().setKey(ALL_KEYS).setRangeEnd(ALL_KEYS).setRevision(rev).build());
    }

    private static List<String> leases(MvccStore s) {
        List<String> out = new ArrayList<>();
        for (LeaseInfo l : s.lessor().leases()) {
            LeaseInfo t = s.lessor().timeToLive(l.id(), true);
            out.add(t.id() + "/" + t.grantedTtl() + "/" + t.ttl() + "/"
                    + t.keys().stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList());
        }
        return out;
    }

    private static int hashKv(MvccStore s, long rev) {
        return s.hashKv(HashKVRequest.newBuilder().setRevision(rev).build()).getHash();
    }

    private static List<WatchUpdate> drain(WatchStream w) {
        List<WatchUpdate> out = new ArrayList<>();
        for (WatchUpdate u = w.poll(); u != null; u = w.poll()) {
            out.add(u);
        }
        return out;
    }

    private static List<Event> events(List<WatchUpdate> us) {
        return us.stream().flatMap(u -> u.events().stream()).toList();
    }

    /** Runs sync steps until every watcher is synced, collecting what the stream got. */
    private static List<WatchUpdate> syncAll(MvccStore s, WatchStream w) {
        List<WatchUpdate> out = new ArrayList<>();
        for (int i = 0; i < 50 && s.syncWatchers() > 0; i++) {
            out.addAll(drain(w));
        }
        assertEquals(0, s.syncWatchers(), "every watcher synced");
        out.addAll(drain(w));
        return out;
    }

    /** The events A's store serves a watcher of prefix w/ from {@code from} on: what B's watcher must get. */
    private static List<Event> expectedEvents(MvccStore a, long from) {
        try (WatchStream w = a.newWatchStream()) {
            w.watch(0, "w/".getBytes(StandardCharsets.UTF_8), "w0".getBytes(StandardCharsets.UTF_8), from, Set.of(),
                    false, false);
            return events(syncAll(a, w));
        }
    }

    private static void assertSameStore(MvccStore a, MvccStore b) {
        assertEquals(a.currentRevision(), b.currentRevision(), "current revision");
        assertEquals(a.compactRevision(), b.compactRevision(), "compact revision");
        assertEquals(a.appliedIndex(), b.appliedIndex(), "applied index");
        for (long rev = a.compactRevision(); rev <= a.currentRevision(); rev++) {
            assertEquals(all(a, rev), all(b, rev), "range at revision " + rev);
        }
        long below = a.compactRevision() - 1;
        MvccException e = assertThrows(MvccException.class, () -> all(b, below));
        assertEquals(MvccError.COMPACTED, e.error());
        assertEquals(MvccError.FUTURE_REVISION,
                assertThrows(MvccException.class, () -> all(b, a.currentRevision() + 1)).error());
        assertEquals(leases(a), leases(b), "leases");
        assertEquals(hashKv(a, a.currentRevision()), hashKv(b, a.currentRevision()), "HashKV");
        assertEquals(hashKv(a, a.compactRevision()), hashKv(b, a.compactRevision()), "HashKV at the compaction");
        assertEquals(a.hash().getHash(), b.hash().getHash(), "Hash");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void takesOverTheSnapshotAndWatchersResumeFromIt(Engines.Engine engine) {
        try (StoreFixture a = storeA(dir, engine); StoreFixture b = storeB(dir, engine, MvccConfig.defaults(), 12)) {
            assertTrue(b.store.appliedIndex() < a.store.appliedIndex());
            try (WatchStream w = b.store.newWatchStream()) {
                long id = w.watch(0, "w/".getBytes(StandardCharsets.UTF_8), "w0".getBytes(StandardCharsets.UTF_8), 0,
                        Set.of(), false, false);
                Compaction stale = b.store.compact(10, b.next()); // its job runs after the restore
                b.store.put(put("w/live", "b"), b.next()); // 13: delivered live, from B's own content
                assertEquals(1, events(drain(w)).size());
                long last = b.store.currentRevision();

                b.store.restoreFrom(new ByteArrayInputStream(snapshot(a)));
                b.index = b.store.appliedIndex(); // the server goes on from the snapshot's index
                stale.run(); // computed on B's old index: must not drop A's revisions (w/c@5)

                assertSameStore(a.store, b.store);
                List<WatchUpdate> got = syncAll(b.store, w);
                assertEquals(expectedEvents(a.store, last + 1), events(got), "events after the watcher's last revision");
                assertFalse(events(got).isEmpty());
                assertTrue(got.stream().allMatch(u -> u.watchId() == id && u.compactRevision() == 0));

                // writes go on, and the resynced watcher gets them live
                for (StoreFixture f : List.of(a, b)) {
                    f.store.put(leased("w/after", "1", 100), f.next());
                    f.store.deleteRange(del("w/a"), f.next());
                }
                List<Event> live = events(drain(w));
                assertEquals(List.of("w/after", "w/a"), live.stream().map(e -> e.getKv().getKey().toStringUtf8()).toList());
                assertEquals(A_REVISION + 2, live.getLast().getKv().getModRevision());
                assertSameStore(a.store, b.store);
            }
            b.reopen(); // the restored content is what the backend holds
            assertSameStore(a.store, b.store);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aWatcherBehindTheSnapshotsCompactionGetsACompactedResponse(Engines.Engine engine) {
        // B batches its commits and has a compaction job of its own pending: both must not leak into A's content
        MvccConfig batching = MvccConfig.defaults().withCommitBatch(1000, Duration.ofHours(1)).withCompactionBatchLimit(1);
        try (StoreFixture a = storeA(dir, engine); StoreFixture b = storeB(dir, engine, batching, 5)) {
            try (WatchStream w = b.store.newWatchStream()) {
                long id = w.watch(0, "w/".getBytes(StandardCharsets.UTF_8), "w0".getBytes(StandardCharsets.UTF_8), 0,
                        Set.of(), false, false);
                Compaction stale = b.store.compact(4, b.next());
                b.store.put(put("w/uncommitted", "b"), b.next()); // 6, in the open batch
                assertEquals(1, drain(w).size());

                b.store.restoreFrom(new ByteArrayInputStream(snapshot(a)));
                stale.run(); // outlived by the restore: must not drop A's revisions
                b.index = b.store.appliedIndex();

                assertSameStore(a.store, b.store);
                List<WatchUpdate> got = syncAll(b.store, w);
                assertEquals(List.of(new WatchUpdate(id, List.of(), A_REVISION, A_COMPACT)), got,
                        "revision 7 is compacted in A's content");
                assertEquals(Set.of(), w.watchIds(), "the compacted watcher is gone");
                b.store.put(put("w/after", "1"), b.next());
                assertEquals(A_REVISION + 1, b.store.currentRevision());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aSyncedWatcherResumesAfterTheLastRevisionItWasSyncedTo(Engines.Engine engine) {
        try (StoreFixture a = storeA(dir, engine); StoreFixture b = storeB(dir, engine, MvccConfig.defaults(), 5)) {
            try (WatchStream w = b.store.newWatchStream()) {
                w.watch(0, "w/".getBytes(StandardCharsets.UTF_8), "w0".getBytes(StandardCharsets.UTF_8), 0, Set.of(),
                        false, false);
                b.store.put(put("w/u", "b"), b.next()); // 6: its last event
                b.store.put(put("y", "b"), b.next()); // 7, 8: not its keys, but it is synced through them
                b.store.put(put("y", "c"), b.next());
                assertEquals(1, drain(w).size());

                b.store.restoreFrom(new ByteArrayInputStream(snapshot(a)));

                List<WatchUpdate> got = syncAll(b.store, w);
                assertTrue(got.stream().allMatch(u -> u.compactRevision() == 0), "revision 9 is not compacted");
                assertEquals(expectedEvents(a.store, 9), events(got));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aPrimaryLessorStaysPrimaryWithFreshExpiriesForTheRestoredLeases(Engines.Engine engine) {
        try (StoreFixture a = storeA(dir, engine); StoreFixture b = storeB(dir, engine, MvccConfig.defaults(), 3)) {
            b.store.lessor().promote(Duration.ZERO);
            b.clock.advance(Duration.ofSeconds(80));
            b.store.restoreFrom(new ByteArrayInputStream(snapshot(a)));
            b.index = b.store.appliedIndex();
            assertTrue(b.store.lessor().isPrimary());
            assertFalse(b.store.lessor().exists(300), "B's own lease is gone");
            LeaseInfo restored = b.store.lessor().timeToLive(100, true);
            assertEquals(45, restored.ttl(), "the checkpointed TTL, from now");
            assertEquals(List.of("w/d", "w/e"), restored.keys().stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList());
            b.clock.advance(Duration.ofSeconds(44));
            assertEquals(List.of(), b.store.lessor().expired(10));
            b.clock.advance(Duration.ofSeconds(1));
            assertEquals(List.of(100L), b.store.lessor().expired(10), "only A's lease, never B's old one");
            b.store.lessor().revoke(b.next(), 100);
            assertEquals(0, all(b.store, 0).getKvsList().stream().filter(kv -> kv.getLease() == 100).count());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void readersWaitForTheRestoreAndThenSeeTheNewContent(Engines.Engine engine) throws Exception {
        try (StoreFixture a = storeA(dir, engine); StoreFixture b = storeB(dir, engine, MvccConfig.defaults(), 5)) {
            Gate gate = new Gate(snapshot(a));
            AtomicReference<Throwable> restoreFailure = new AtomicReference<>();
            Thread restorer = Thread.ofPlatform().start(() -> {
                try {
                    b.store.restoreFrom(gate);
                } catch (Throwable t) {
                    restoreFailure.set(t);
                }
            });
            AtomicReference<Object> read = new AtomicReference<>();
            Thread reader;
            try {
                assertTrue(gate.reached.await(30, TimeUnit.SECONDS), "the restore read half the snapshot");
                // B's backend is now wiped and half restored while its key index is still B's
                reader = Thread.ofPlatform().start(() -> {
                    try {
                        read.set(all(b.store, 0));
                    } catch (RuntimeException e) {
                        read.set(e);
                    }
                });
                while (!b.store.contentLock.hasQueuedThread(reader)) {
                    assertTrue(reader.isAlive(), "the reader returned during the restore: " + read.get());
                    Thread.sleep(1);
                }
            } finally {
                gate.release.countDown();
                restorer.join();
            }
            reader.join();
            assertEquals(null, restoreFailure.get());
            assertEquals(all(a.store, 0), read.get(), "the waiting reader sees the new content");
            assertSameStore(a.store, b.store);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void concurrentReadersSeeTheOldContentOrTheNewNeverAMix(Engines.Engine engine) throws Exception {
        try (StoreFixture a = storeA(dir, engine); StoreFixture b = storeB(dir, engine, MvccConfig.defaults(), 12)) {
            RangeResponse before = all(b.store, 0);
            RangeResponse after = all(a.store, 0);
            byte[] snap = snapshot(a);
            AtomicBoolean done = new AtomicBoolean();
            List<Object> odd = new CopyOnWriteArrayList<>();
            AtomicInteger reads = new AtomicInteger();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    while (!done.get()) {
                        try {
                            RangeResponse r = all(b.store, 0);
                            if (!r.equals(before) && !r.equals(after)) {
                                odd.add(r);
                            }
                        } catch (RuntimeException e) {
                            odd.add(e);
                        }
                        reads.incrementAndGet();
                    }
                }));
            }
            while (reads.get() < 20) {
                Thread.onSpinWait();
            }
            b.store.restoreFrom(new ByteArrayInputStream(snap));
            int atRestore = reads.get();
            while (reads.get() < atRestore + 20) {
                Thread.onSpinWait();
            }
            done.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertEquals(List.of(), odd, "every read saw B's content or A's");
            assertEquals(after, all(b.store, 0));
        }
    }

    /** Each engine as the source, the next one in the list as the target. */
    static Stream<Arguments> enginePairs() {
        List<Named<Engines.Engine>> all = Engines.all().toList();
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Named<Engines.Engine> from = all.get(i);
            Named<Engines.Engine> to = all.get((i + 1) % all.size());
            out.add(Arguments.of(Named.of(from.getName() + " -> " + to.getName(), from.getPayload()), to.getPayload()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enginePairs")
    void aSnapshotOfOneEngineRestoresIntoAnother(Engines.Engine source, Engines.Engine target) {
        try (StoreFixture a = storeA(dir, source); StoreFixture b = storeB(dir, target, MvccConfig.defaults(), 12)) {
            b.store.restoreFrom(new ByteArrayInputStream(snapshot(a)));
            assertSameStore(a.store, b.store);
        }
    }

    /** A snapshot stream that stops half way until released. */
    private static final class Gate extends InputStream {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final byte[] data;
        private final int half;
        private int pos;

        Gate(byte[] data) {
            this.data = data;
            this.half = data.length / 2;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == half) {
                reached.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(len, (pos < half ? half : data.length) - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aTruncatedSnapshotFailsTheStore(Engines.Engine engine) {
        try (StoreFixture a = storeA(dir, engine); StoreFixture b = storeB(dir, engine, MvccConfig.defaults(), 5)) {
            byte[] snap = snapshot(a);
            byte[] cut = Arrays.copyOf(snap, snap.length - 20);
            assertThrows(BackendCorruptedException.class, () -> b.store.restoreFrom(new ByteArrayInputStream(cut)));
            assertThrows(IllegalStateException.class, () -> all(b.store, 0));
            assertThrows(IllegalStateException.class, () -> b.store.put(put("k", "v"), b.next()));
            assertThrows(IllegalStateException.class, () -> b.store.restoreFrom(new ByteArrayInputStream(snap)),
                    "a failed store is reopened, not restored again");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void anOlderSnapshotIsRefusedAndFailsTheStore(Engines.Engine engine) {
        try (StoreFixture a = storeA(dir, engine); StoreFixture b = storeB(dir, engine, MvccConfig.defaults(), 40)) {
            assertTrue(b.store.appliedIndex() > a.store.appliedIndex());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> b.store.restoreFrom(new ByteArrayInputStream(snapshot(a))));
            assertTrue(e.getMessage().contains("below the store's applied index"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> all(b.store, 0));
        }
    }
}
