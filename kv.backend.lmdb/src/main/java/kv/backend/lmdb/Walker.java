package kv.backend.lmdb;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * A {@link Walk} over one bucket's LMDB database in a read transaction: an LMDB cursor, expanded
 * through {@link Group}s so that long keys appear one by one, in key order. LMDB compares keys with
 * {@code memcmp}, shorter first on a common prefix: {@link kv.backend.Bytes#ORDER}.
 *
 * <p>Owns its LMDB cursor; not thread-safe.
 */
final class Walker implements Walk {
    private final Dbi<ByteBuffer> dbi;
    private final Txn<ByteBuffer> txn;
    private final int limit;
    private final ByteBuffer keyBuffer;
    private Cursor<ByteBuffer> cursor;
    private byte[] storedKey;
    private Group group;
    private int index;

    Walker(Dbi<ByteBuffer> dbi, Txn<ByteBuffer> txn, int limit) {
        this.dbi = dbi;
        this.txn = txn;
        this.limit = limit;
        this.keyBuffer = ByteBuffer.allocateDirect(limit);
        this.cursor = dbi.openCursor(txn);
    }

    @Override
    public boolean first() {
        return land(cursor.first(), true);
    }

    @Override
    public boolean last() {
        return land(cursor.last(), false);
    }

    @Override
    public boolean seek(byte[] key) {
        if (key.length == 0) {
            return first(); // LMDB refuses empty keys; every stored key is >= the empty key
        }
        if (!land(cursor.get(BucketTable.load(keyBuffer, key, limit), GetOp.MDB_SET_RANGE), true)) {
            return false;
        }
        if (key.length < limit || group == null || !Arrays.equals(storedKey, 0, limit, key, 0, limit)) {
            return true; // a stored key >= key's first L bytes and not key's own group is > key (see Group)
        }
        index = group.ceiling(Arrays.copyOfRange(key, limit, key.length));
        return index < group.size() || land(cursor.next(), true);
    }

    @Override
    public boolean next() {
        if (group != null && index + 1 < group.size()) {
            index++;
            return true;
        }
        return land(cursor.next(), true);
    }

    @Override
    public boolean prev() {
        if (group != null && index > 0) {
            index--;
            return true;
        }
        return land(cursor.prev(), false);
    }

    @Override
    public byte[] key() {
        if (group == null) {
            return storedKey.clone();
        }
        byte[] suffix = group.get(index).suffix();
        byte[] k = Arrays.copyOf(storedKey, storedKey.length + suffix.length);
        System.arraycopy(suffix, 0, k, storedKey.length, suffix.length);
        return k;
    }

    @Override
    public byte[] value() {
        return group == null ? BucketTable.copy(cursor.val()) : group.get(index).value().clone();
    }

    @Override
    public void remap() {
        byte[] at = storedKey == null ? null : key();
        cursor.close();
        cursor = dbi.openCursor(txn);
        if (at != null) {
            seek(at);
        }
    }

    @Override
    public void close() {
        cursor.close();
    }

    private boolean land(boolean found, boolean atStart) {
        group = null;
        if (!found) {
            storedKey = null;
            return false;
        }
        storedKey = BucketTable.copy(cursor.key());
        if (storedKey.length >= limit) {
            group = Group.decode(cursor.val());
            index = atStart ? 0 : group.size() - 1;
        }
        return true;
    }
}
