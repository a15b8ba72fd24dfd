package kv.backend.jbolt.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;

/**
 * Child process of {@link CrashTest}: commits batches forever until killed. Batch n writes keys
 * (n, 0..k) and deletes the keys of batch n - 5, and sets "last" to n; after each commit it prints
 * n. So any committed state holds exactly the batches last-4 .. last, each complete.
 */
public final class CrashWriter {
    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Durability d = Durability.valueOf(args[1]);
        Random r = new Random(Long.parseLong(args[2]));
        try (JboltDb db = JboltDb.open(file, new JboltOptions(1024, d))) {
            long n = CrashTest.last(db) + 1;
            while (true) {
                try (JboltTx tx = db.begin(true)) {
                    JboltBucket b = tx.createBucket("data");
                    int k = CrashTest.batchSize(n);
                    for (int i = 0; i < k; i++) {
                        byte[] v = new byte[r.nextInt(10) == 0 ? 3000 : 40];
                        r.nextBytes(v);
                        b.put(CrashTest.key(n, i), v);
                    }
                    if (n >= 5) {
                        for (int i = 0; i < CrashTest.batchSize(n - 5); i++) {
                            b.delete(CrashTest.key(n - 5, i));
                        }
                    }
                    tx.createBucket("meta").put("last".getBytes(), ByteBuffer.allocate(8).putLong(n).array());
                    tx.commit();
                }
                System.out.println(n);
                System.out.flush();
                n++;
            }
        }
    }
}
