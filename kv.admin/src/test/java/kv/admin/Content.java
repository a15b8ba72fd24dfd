package kv.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.Bytes;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * What the migration tests write and expect: several buckets, {@code keys} small entries in one of
 * them scattered over the key space, a few 1 MiB values, an empty bucket, and keys at both ends of
 * the byte order. Held in memory as the model a store is compared with, entry by entry.
 */
final class Content {
    final Map<String, TreeMap<byte[], byte[]>> buckets = new TreeMap<>();

    static Content generate(int keys, int mebibyteValues, long seed) {
        Content c = new Content();
        Random r = new Random(seed);
        TreeMap<byte[], byte[]> key = c.bucket("key");
        for (int i = 0; i < keys; i++) {
            byte[] v = new byte[16 + r.nextInt(100)];
            r.nextBytes(v);
            key.put(ByteBuffer.allocate(8).putInt(i * 0x9E3779B1).putInt(i).array(), v);
        }
        TreeMap<byte[], byte[]> big = c.bucket("big");
        for (int i = 0; i < mebibyteValues; i++) {
            byte[] v = new byte[1 << 20];
            r.nextBytes(v);
            big.put(new byte[] {(byte) i}, v);
        }
        TreeMap<byte[], byte[]> meta = c.bucket("meta");
        meta.put(new byte[] {0}, new byte[0]);
        meta.put(new byte[] {(byte) 0xff, (byte) 0xff}, new byte[] {1, 2, 3});
        meta.put("consistent_index".getBytes(), ByteBuffer.allocate(8).putLong(seed).array());
        c.bucket("empty");
        return c;
    }

    private TreeMap<byte[], byte[]> bucket(String name) {
        return buckets.computeIfAbsent(name, n -> new TreeMap<>(Bytes.ORDER));
    }

    long entries() {
        return buckets.values().stream().mapToLong(Map::size).sum();
    }

    /** Writes the content into a fresh store of {@code engine} in {@code dir}, recording the engine. */
    void writeTo(DataDir dir, String engine) {
        try {
            Files.createDirectories(dir.wal()); // as a member that ran once: the WAL lock is then checked
            dir.record(engine);
            try (Backend b = BackendLocator.builtIn().find(engine).open(BackendConfig.of(dir.backend(engine)))) {
                write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Backend b) {
        for (var bucket : buckets.entrySet()) {
            int n = 0;
            WriteTx tx = b.beginWrite();
            tx.createBucket(bucket.getKey());
            for (var e : bucket.getValue().entrySet()) {
                tx.put(bucket.getKey(), e.getKey(), e.getValue());
                if (++n % 20_000 == 0) {
                    tx.commit(Durability.NO_SYNC);
                    tx = b.beginWrite();
                }
            }
            tx.commit();
        }
    }

    /** Opens {@code dir}'s store with {@code engine} and compares every bucket and entry, in order. */
    void assertIn(DataDir dir, String engine) {
        try (Backend b = BackendLocator.builtIn().find(engine).open(BackendConfig.of(dir.backend(engine)))) {
            assertIn(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void assertIn(Backend b) {
        try (ReadTx tx = b.beginRead()) {
            assertEquals(List.copyOf(buckets.keySet()), tx.buckets(), b.engine() + ": buckets");
            for (var bucket : buckets.entrySet()) {
                Iterator<Map.Entry<byte[], byte[]>> expected = bucket.getValue().entrySet().iterator();
                long[] n = {0};
                tx.scan(bucket.getKey(), null, null, (k, v) -> {
                    assertTrue(expected.hasNext(), b.engine() + ": extra entry in " + bucket.getKey() + " at " + n[0]);
                    var e = expected.next();
                    assertArrayEquals(e.getKey(), k, b.engine() + ": key " + n[0] + " of " + bucket.getKey());
                    assertArrayEquals(e.getValue(), v, b.engine() + ": value " + n[0] + " of " + bucket.getKey());
                    n[0]++;
                    return true;
                });
                assertTrue(!expected.hasNext(), b.engine() + ": " + bucket.getKey() + " ends after " + n[0] + " entries");
            }
        }
    }
}
