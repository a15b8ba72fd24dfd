package example.kv.backend.memlog;

import java.util.Map;
import java.util.NavigableMap;
import kv.backend.Cursor;

/**
 * A cursor over one bucket's sorted map. It remembers the key it stands on, not an iterator, so
 * writes through the transaction never break it (the contract only asks for a reseek). Arrays
 * handed out are copies. Not thread-safe; checks its transaction on every call.
 */
final class MapCursor implements Cursor {
    private final NavigableMap<byte[], byte[]> map;
    private final MemlogTx tx;
    private Map.Entry<byte[], byte[]> at;

    MapCursor(NavigableMap<byte[], byte[]> map, MemlogTx tx) {
        this.map = map;
        this.tx = tx;
    }

    @Override
    public boolean first() {
        return move(live().firstEntry());
    }

    @Override
    public boolean last() {
        return move(live().lastEntry());
    }

    @Override
    public boolean seek(byte[] key) {
        return move(live().ceilingEntry(key));
    }

    @Override
    public boolean next() {
        return move(at == null ? null : live().higherEntry(at.getKey()));
    }

    @Override
    public boolean prev() {
        return move(at == null ? null : live().lowerEntry(at.getKey()));
    }

    @Override
    public byte[] key() {
        return positioned().getKey().clone();
    }

    @Override
    public byte[] value() {
        return positioned().getValue().clone();
    }

    @Override
    public void close() {
        // holds no resource: the map belongs to the transaction's state
    }

    private NavigableMap<byte[], byte[]> live() {
        tx.checkOpen();
        return map;
    }

    private boolean move(Map.Entry<byte[], byte[]> e) {
        at = e;
        return e != null;
    }

    private Map.Entry<byte[], byte[]> positioned() {
        tx.checkOpen();
        if (at == null) {
            throw new IllegalStateException("memlog: cursor is not positioned on an entry");
        }
        return at;
    }
}
