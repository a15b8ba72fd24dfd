package kv.backend.tck;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import kv.backend.Backend;
import kv.backend.BucketNotFoundException;
import kv.backend.Durability;
import kv.backend.KeyTooLargeException;
import kv.backend.ValueTooLargeException;
import kv.backend.WriteTx;

/**
 * The write transaction of {@link LogBackend}: works on a shallow copy of the committed state,
 * copying a bucket map on its first write, and records every operation for the log.
 */
final class LogWriteTx extends LogReadTx implements WriteTx {
    private final Durability configured;
    private final boolean leaky;
    private final Set<String> copied = new HashSet<>();
    private final ByteArrayOutputStream opBytes = new ByteArrayOutputStream();
    private final DataOutputStream ops = new DataOutputStream(opBytes);
    private final List<Integer> opStarts = new ArrayList<>();

    LogWriteTx(LogBackend backend, TreeMap<String, TreeMap<byte[], byte[]>> committed, Durability configured) {
        super(backend, committed);
        this.configured = configured;
        this.leaky = backend.flaw == LogBackendProvider.Flaw.LEAKY_WRITES;
        if (!leaky) {
            state = new TreeMap<>(committed);
        }
    }

    private TreeMap<byte[], byte[]> writable(String bucket) {
        ensureUsable();
        Objects.requireNonNull(bucket, "bucket");
        TreeMap<byte[], byte[]> b = state.get(bucket);
        if (b == null) {
            throw new BucketNotFoundException("tck-log: bucket " + bucket + " not found");
        }
        if (!leaky && copied.add(bucket)) {
            b = new TreeMap<>(b);
            state.put(bucket, b);
        }
        return b;
    }

    private void record(byte op, String bucket, byte[]... args) {
        opStarts.add(opBytes.size());
        try {
            ops.writeByte(op);
            ops.writeUTF(bucket);
            if (op == LogBackend.DELETE_RANGE) {
                LogBackend.write(ops, args[0]);
                ops.writeBoolean(args[1] != null);
                if (args[1] != null) {
                    LogBackend.write(ops, args[1]);
                }
                return;
            }
            for (byte[] a : args) {
                LogBackend.write(ops, a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkKey(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("tck-log: key is empty");
        }
        if (key.length > Backend.MAX_KEY_SIZE) {
            throw new KeyTooLargeException("tck-log: key of " + key.length + " bytes is over " + Backend.MAX_KEY_SIZE);
        }
    }

    @Override
    public boolean createBucket(String bucket) {
        ensureUsable();
        if (state.containsKey(bucket)) {
            return false;
        }
        state.put(bucket, new TreeMap<>(backend.order));
        copied.add(bucket);
        record(LogBackend.CREATE, bucket);
        return true;
    }

    @Override
    public boolean deleteBucket(String bucket) {
        ensureUsable();
        if (state.remove(bucket) == null) {
            return false;
        }
        copied.remove(bucket);
        record(LogBackend.DROP, bucket);
        return true;
    }

    @Override
    public void put(String bucket, byte[] key, byte[] value) {
        checkKey(key);
        if (value.length > Backend.MAX_VALUE_SIZE) {
            throw new ValueTooLargeException("tck-log: value of " + value.length + " bytes");
        }
        writable(bucket).put(key.clone(), value.clone());
        record(LogBackend.PUT, bucket, key, value);
    }

    @Override
    public boolean delete(String bucket, byte[] key) {
        boolean had = writable(bucket).remove(key) != null;
        record(LogBackend.DELETE, bucket, key);
        return had;
    }

    @Override
    public long deleteRange(String bucket, byte[] from, byte[] to) {
        var range = backend.rangeOf(writable(bucket), from, to);
        long n = range.size();
        range.clear();
        record(LogBackend.DELETE_RANGE, bucket, from, to);
        return n;
    }

    @Override
    public void commit() {
        commit(configured);
    }

    @Override
    public void commit(Durability durability) {
        ensureUsable();
        backend.commit(opBytes.toByteArray(), opStarts, state, durability);
        closed = true;
        backend.releaseWriteSlot();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            backend.releaseWriteSlot();
        }
    }
}
