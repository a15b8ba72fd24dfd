package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kv.backend.Backend;
import kv.backend.ReadTx;
import org.junit.jupiter.api.Test;

/**
 * Snapshot isolation: a read transaction sees exactly the state committed when it began, however
 * many commits follow while it is open; a reader that begins later sees the later state.
 */
public abstract class IsolationContract extends ModelContract {
    private static final String BUCKET = "iso";
    private static final int KEYS = 64;

    protected IsolationContract() {}

    /** Commit {@code version} (1-based) of a deterministic history: sets a version key, rewrites and deletes a few keys. */
    private static void commitVersion(Backend b, Model model, int version, Random r) {
        write(b, tx -> {
            if (version == 1) {
                tx.createBucket(BUCKET);
                model.createBucket(BUCKET);
            }
            byte[] v = ByteBuffer.allocate(4).putInt(version).array();
            tx.put(BUCKET, utf8("version"), v);
            model.put(BUCKET, utf8("version"), v);
            for (int i = 0; i < 6; i++) {
                byte[] k = bytes(r.nextInt(KEYS) * 4);
                byte[] value = new byte[1 + r.nextInt(300)];
                r.nextBytes(value);
                tx.put(BUCKET, k, value);
                model.put(BUCKET, k, value);
            }
            byte[] gone = bytes(r.nextInt(KEYS) * 4);
            if (tx.delete(BUCKET, gone) != model.delete(BUCKET, gone)) {
                throw new AssertionError("delete disagrees with the model");
            }
        });
    }

    private static int versionOf(ReadTx tx) {
        return ByteBuffer.wrap(tx.get(BUCKET, utf8("version"))).getInt();
    }

    @Test
    public void longReadersSeeTheirStartingStateWhileWritersCommit() {
        Backend b = open("s");
        Random r = new Random(11);
        Model model = new Model();
        List<ReadTx> readers = new ArrayList<>();
        List<Model> seen = new ArrayList<>();
        for (int version = 1; version <= 300; version++) {
            commitVersion(b, model, version, r);
            if (version % 30 == 1) {
                readers.add(b.beginRead());
                seen.add(model.copy());
            }
            if (version % 50 == 0) {
                for (int i = 0; i < readers.size(); i++) {
                    seen.get(i).assertMatches(readers.get(i), "reader " + i + " after " + version + " commits");
                }
            }
        }
        for (int i = 0; i < readers.size(); i++) {
            seen.get(i).assertMatches(readers.get(i), "reader " + i + " at the end");
            readers.get(i).close();
        }
        try (ReadTx fresh = b.beginRead()) {
            model.assertMatches(fresh, "a new reader sees the latest state");
        }
    }

    @Test
    public void readersOnOtherThreadsSeeOneConsistentVersion() throws Exception {
        Backend b = open("s");
        Random r = new Random(12);
        Model model = new Model();
        commitVersion(b, model, 1, r);
        ConcurrentHashMap<Integer, Model> history = new ConcurrentHashMap<>();
        history.put(1, model.copy());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> checks = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                checks.add(pool.submit(() -> checkSnapshots(b, history)));
            }
            for (int version = 2; version <= 400; version++) {
                commitVersion(b, model, version, r);
                history.put(version, model.copy());
            }
            for (Future<Integer> f : checks) {
                assertTrue(f.get(60, TimeUnit.SECONDS) > 0, "a reader thread checked some snapshots");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Opens readers until the last version is visible; each must match the version it names, twice. */
    private static int checkSnapshots(Backend b, ConcurrentHashMap<Integer, Model> history) throws InterruptedException {
        int checked = 0;
        while (true) {
            try (ReadTx tx = b.beginRead()) {
                int version = versionOf(tx);
                Model expected = history.get(version);
                while (expected == null) { // the writer records the model just after its commit returns
                    Thread.sleep(1);
                    expected = history.get(version);
                }
                expected.assertMatches(tx, "reader at version " + version);
                Thread.sleep(2);
                expected.assertMatches(tx, "the same reader a little later");
                checked++;
                if (version == 400) {
                    return checked;
                }
            }
        }
    }

    @Test
    public void aReaderKeepsABucketDeletedAfterItBegan() {
        Backend b = open("s");
        write(b, tx -> {
            tx.createBucket("doomed");
            tx.put("doomed", bytes(1), bytes(1));
        });
        try (ReadTx old = b.beginRead()) {
            write(b, tx -> tx.deleteBucket("doomed"));
            write(b, tx -> {
                tx.createBucket("doomed");
                tx.put("doomed", bytes(2), bytes(2));
            });
            assertArrayEquals(bytes(1), old.get("doomed", bytes(1)), "the old reader keeps the deleted bucket's entry");
            assertNull(old.get("doomed", bytes(2)), "the old reader does not see the recreated bucket's entry");
            try (ReadTx fresh = b.beginRead()) {
                assertNull(fresh.get("doomed", bytes(1)));
                assertArrayEquals(bytes(2), fresh.get("doomed", bytes(2)));
            }
        }
        try (ReadTx tx = b.beginRead()) {
            assertFalse(tx.get("doomed", bytes(2)) == null);
        }
    }
}
