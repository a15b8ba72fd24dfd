package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import kv.backend.Backend;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendHash;
import kv.backend.BackendSnapshot;
import kv.backend.ReadTx;
import org.junit.jupiter.api.Test;

/**
 * The engine-neutral snapshot stream ({@link BackendSnapshot}) and content hash
 * ({@link BackendHash}) over this engine: a round trip into a fresh store keeps every bucket, key
 * and value and the hash; a snapshot is one consistent state even while a writer commits.
 */
public abstract class SnapshotContract extends DurabilityContract {
    protected SnapshotContract() {}

    /** Mixed content: an empty bucket, binary keys on both sides of 0x80, empty and 1 MiB values, many small keys. */
    static Model mixedContent(Random r) {
        Model m = new Model();
        m.createBucket("empty");
        m.createBucket("binary");
        m.createBucket("many");
        for (byte[] k : CrudContract.orderedKeys()) {
            m.put("binary", k, new byte[k.length == 1 ? 0 : k.length]);
        }
        for (int i = 0; i < 2; i++) {
            byte[] big = new byte[1 << 20];
            r.nextBytes(big);
            m.put("binary", bytes(0xee, i), big);
        }
        for (int i = 0; i < 5_000; i++) {
            byte[] v = new byte[r.nextInt(64)];
            r.nextBytes(v);
            m.put("many", ByteBuffer.allocate(4).putInt(r.nextInt()).array(), v);
        }
        return m;
    }

    @Test
    public void snapshotRoundTripKeepsContentAndHash() throws IOException {
        Backend source = open("source");
        Model model = mixedContent(new Random(3));
        write(source, model::writeTo);
        Path file = tmp.resolve("store.snap");
        BackendSnapshot.Summary written;
        try (OutputStream out = Files.newOutputStream(file)) {
            written = BackendSnapshot.write(source, out);
        }
        assertEquals(3, written.buckets());
        assertEquals(model.entryCount(), written.entries());
        Backend target = open("target");
        BackendSnapshot.Summary restored;
        try (InputStream in = Files.newInputStream(file)) {
            restored = BackendSnapshot.restore(in, target);
        }
        assertEquals(written.entries(), restored.entries());
        assertEquals(provider().name(), restored.sourceEngine());
        BackendHash expected = BackendHash.of(source);
        assertEquals(expected, BackendHash.of(target), "hash of the restored store");
        target = reopen(target);
        try (ReadTx tx = target.beginRead()) {
            model.assertMatches(tx, "restored store after reopen");
        }
        assertEquals(expected, BackendHash.of(target), "hash of the restored store after reopen");
    }

    @Test
    public void snapshotIsOneStateWhileAWriterCommits() throws Exception {
        Backend source = open("source");
        ConcurrentHashMap<Integer, Model> versions = new ConcurrentHashMap<>();
        Model model = new Model();
        model.createBucket("v");
        Random r = new Random(4);
        for (int i = 0; i < 2_000; i++) {
            model.put("v", ByteBuffer.allocate(4).putInt(i).array(), new byte[100]);
        }
        commitVersion(source, model, 0, r);
        versions.put(0, model.copy());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Model m = versions.get(0).copy();
                for (int v = 1; !stop.get() && v < 100_000; v++) {
                    commitVersion(source, m, v, r);
                    versions.put(v, m.copy());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        ByteArrayOutputStream snap = new ByteArrayOutputStream();
        try {
            Thread.sleep(20);
            BackendSnapshot.write(source, snap);
        } finally {
            stop.set(true);
            writer.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("the writer failed", failure.get());
        }
        Backend target = open("target");
        BackendSnapshot.restore(new ByteArrayInputStream(snap.toByteArray()), target);
        try (ReadTx tx = target.beginRead()) {
            int version = ByteBuffer.wrap(tx.get("v", utf8("version"))).getInt();
            versions.get(version).assertMatches(tx, "snapshot restored at version " + version);
        }
    }

    private static void commitVersion(Backend b, Model m, int version, Random r) {
        byte[] v = ByteBuffer.allocate(4).putInt(version).array();
        m.put("v", utf8("version"), v);
        byte[] k = ByteBuffer.allocate(4).putInt(r.nextInt(2_000)).array();
        m.put("v", k, v);
        write(b, tx -> {
            if (version == 0) {
                m.writeTo(tx);
            } else {
                tx.put("v", utf8("version"), v);
                tx.put("v", k, v);
            }
        });
    }

    @Test
    public void hashDependsOnContentNotOnHistory() {
        Random r = new Random(9);
        Model model = mixedContent(r);
        Backend forward = open("forward");
        write(forward, model::writeTo);
        Backend scrambled = open("scrambled");
        write(scrambled, tx -> {
            for (String bucket : model.bucketNames().reversed()) {
                tx.createBucket(bucket);
                model.entries(bucket).descendingMap().forEach((k, v) -> tx.put(bucket, k, new byte[] {1}));
            }
            tx.createBucket("extra");
            tx.put("extra", bytes(1), bytes(1));
        });
        write(scrambled, tx -> {
            tx.deleteBucket("extra");
            model.bucketNames().forEach(bucket -> model.entries(bucket).forEach((k, v) -> tx.put(bucket, k, v)));
        });
        BackendHash h = BackendHash.of(forward);
        assertEquals(h, BackendHash.of(scrambled), "same content written in another order");
        write(scrambled, tx -> {
            byte[] k = model.entries("many").firstKey();
            byte[] v = model.get("many", k);
            byte[] changed = Arrays.copyOf(v, v.length + 1);
            tx.put("many", k, changed);
        });
        assertNotEquals(h, BackendHash.of(scrambled), "one value one byte longer");
    }

    @Test
    public void restoreRefusesANonEmptyStoreAndACorruptStream() {
        Backend source = open("source");
        write(source, tx -> {
            tx.createBucket("a");
            for (int i = 0; i < 1000; i++) {
                tx.put("a", ByteBuffer.allocate(4).putInt(i).array(), new byte[50]);
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackendSnapshot.write(source, out);
        byte[] snap = out.toByteArray();
        assertThrows(IllegalStateException.class, () -> BackendSnapshot.restore(new ByteArrayInputStream(snap), source),
                "restore into a store that has buckets");
        Backend target = open("target");
        byte[] truncated = Arrays.copyOf(snap, snap.length / 2);
        assertThrows(BackendCorruptedException.class, () -> BackendSnapshot.restore(new ByteArrayInputStream(truncated), target));
    }
}
