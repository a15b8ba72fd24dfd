package kv.backend.lmdb;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.lmdbjava.Dbi;
import org.lmdbjava.Txn;

/**
 * One bucket's LMDB database as seen through one LMDB transaction, in logical keys: keys shorter
 * than the LMDB key limit are stored as they are, longer ones in {@link Group}s. Reads copy out of
 * the map; writes (write transactions only) copy in through {@code MDB_RESERVE}.
 *
 * <p>Valid while its transaction is; not thread-safe. Shares the caller's key buffer.
 */
final class BucketTable {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    private final Dbi<ByteBuffer> dbi;
    private final Txn<ByteBuffer> txn;
    private final int limit;
    private final ByteBuffer keyBuffer;

    BucketTable(Dbi<ByteBuffer> dbi, Txn<ByteBuffer> txn, int limit, ByteBuffer keyBuffer) {
        this.dbi = dbi;
        this.txn = txn;
        this.limit = limit;
        this.keyBuffer = keyBuffer;
    }

    /** A direct buffer of {@code key}'s first {@code min(len, limit)} bytes (the caller's, reused). */
    static ByteBuffer load(ByteBuffer buffer, byte[] key, int limit) {
        buffer.clear();
        buffer.put(key, 0, Math.min(key.length, limit)).flip();
        return buffer;
    }

    static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    byte[] get(byte[] key) {
        ByteBuffer v = dbi.get(txn, load(keyBuffer, key, limit));
        if (v == null) {
            return null;
        }
        if (key.length < limit) {
            return copy(v);
        }
        Group g = Group.decode(v);
        int i = g.find(suffix(key));
        return i < 0 ? null : g.get(i).value();
    }

    void put(byte[] key, byte[] value) {
        if (key.length < limit) {
            write(load(keyBuffer, key, limit), value.length, out -> out.put(value));
            return;
        }
        Group g = group(key);
        g.upsert(suffix(key), value);
        write(load(keyBuffer, key, limit), g.encodedSize(), g::encodeTo);
    }

    boolean delete(byte[] key) {
        if (key.length < limit) {
            return dbi.delete(txn, load(keyBuffer, key, limit));
        }
        Group g = group(key);
        if (!g.remove(suffix(key))) {
            return false;
        }
        ByteBuffer k = load(keyBuffer, key, limit);
        if (g.size() == 0) {
            dbi.delete(txn, k);
        } else {
            write(k, g.encodedSize(), g::encodeTo);
        }
        return true;
    }

    /** Empties the bucket's database (keeps the database and its handle). */
    void clear() {
        dbi.drop(txn, false);
    }

    Walker walker() {
        return new Walker(dbi, txn, limit);
    }

    private Group group(byte[] key) {
        ByteBuffer v = dbi.get(txn, load(keyBuffer, key, limit));
        return v == null ? Group.empty() : Group.decode(v);
    }

    private byte[] suffix(byte[] key) {
        return Arrays.copyOfRange(key, limit, key.length);
    }

    private void write(ByteBuffer key, int size, java.util.function.Consumer<ByteBuffer> fill) {
        if (size == 0) {
            dbi.put(txn, key, EMPTY);
            return;
        }
        ByteBuffer out = dbi.reserve(txn, key, size);
        fill.accept(out.order(java.nio.ByteOrder.BIG_ENDIAN));
    }
}
