package kv.backend.tck.internal;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import kv.backend.spi.BackendProvider;

/**
 * The child process of the crash test: commits numbered transactions to a store until it is
 * killed, and prints {@code committed N} on standard output once transaction N is acknowledged
 * (with SYNC: after its commit returned; with NO_SYNC: after a {@link Backend#sync()} that followed
 * it). Resumes from the number stored in the store, so successive children extend one history.
 *
 * <p>Transaction N sets {@code last = N}, puts {@link #KEYS_PER_TX} keys {@code N/i} whose values
 * say N and i, and deletes the keys of transaction N - {@link #KEEP}; so the store must always hold
 * exactly the keys of the last {@link #KEEP} transactions, which the parent checks.
 *
 * <p>Arguments: provider class name (public no-argument constructor), store directory, SYNC or
 * NO_SYNC, how many commits between two {@link Backend#defragment()} calls (0: never), then engine
 * options as {@code key=value}.
 */
public final class CrashChild {
    public static final String BUCKET = "crash";
    public static final int KEYS_PER_TX = 4;
    public static final int KEEP = 5;
    public static final String ACK = "committed ";

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        BackendProvider provider = (BackendProvider) Class.forName(args[0]).getConstructor().newInstance();
        Path dir = Path.of(args[1]);
        Durability durability = Durability.valueOf(args[2]);
        int defragEvery = Integer.parseInt(args[3]);
        Map<String, String> options = new HashMap<>();
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Files.createDirectories(dir);
        PrintStream out = System.out;
        try (Backend b = provider.open(new BackendConfig(dir, Durability.SYNC, options))) {
            long n = lastCommitted(b);
            Random r = new Random(n * 31 + System.nanoTime());
            while (true) {
                n++;
                commit(b, n, durability, r);
                if (durability == Durability.SYNC || n % 10 == 0) {
                    if (durability == Durability.NO_SYNC) {
                        b.sync();
                    }
                    out.println(ACK + n);
                    out.flush();
                }
                if (defragEvery > 0 && n % defragEvery == 0) {
                    b.defragment();
                }
            }
        }
    }

    static long lastCommitted(Backend b) {
        try (ReadTx tx = b.beginRead()) {
            byte[] last = tx.hasBucket(BUCKET) ? tx.get(BUCKET, lastKey()) : null;
            return last == null ? 0 : ByteBuffer.wrap(last).getLong();
        }
    }

    private static void commit(Backend b, long n, Durability durability, Random r) {
        try (WriteTx tx = b.beginWrite()) {
            tx.createBucket(BUCKET);
            tx.put(BUCKET, lastKey(), ByteBuffer.allocate(8).putLong(n).array());
            for (int i = 0; i < KEYS_PER_TX; i++) {
                int size = r.nextInt(20) == 0 ? 64 * 1024 : 16 + r.nextInt(2000);
                tx.put(BUCKET, key(n, i), value(n, i, size));
            }
            if (n > KEEP) {
                for (int i = 0; i < KEYS_PER_TX; i++) {
                    tx.delete(BUCKET, key(n - KEEP, i));
                }
            }
            tx.commit(durability);
        }
    }

    public static byte[] lastKey() {
        return "last".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Key {@code i} of transaction {@code n}: a 0x01 byte, then n and i big-endian (so keys sort by n). */
    public static byte[] key(long n, int i) {
        return ByteBuffer.allocate(13).put((byte) 1).putLong(n).putInt(i).array();
    }

    /** The value of key {@code i} of transaction {@code n}: n, i, then filler derived from both. */
    public static byte[] value(long n, int i, int size) {
        ByteBuffer v = ByteBuffer.allocate(Math.max(12, size)).putLong(n).putInt(i);
        while (v.hasRemaining()) {
            v.put((byte) (n * 7 + i + v.position()));
        }
        return v.array();
    }

    /** Whether {@code value} is a value written for key {@code i} of transaction {@code n}. */
    public static boolean isValue(byte[] value, long n, int i) {
        return value.length >= 12 && java.util.Arrays.equals(value, value(n, i, value.length));
    }
}
