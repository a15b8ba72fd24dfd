package kv.backend.tck;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.zip.CRC32C;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BackendConfig;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendException;
import kv.backend.Bytes;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * The test engine behind {@link LogBackendProvider}. The committed state is a map of bucket maps
 * that are never modified once published (a write transaction copies a bucket the first time it
 * writes to it), so readers need no lock. Commits append {@code int length, int crc32c, ops} to
 * {@code store.log}; open replays the log and cuts a torn tail; defragment rewrites the log as one
 * record.
 */
final class LogBackend implements Backend {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final byte DELETE_RANGE = 3;
    static final byte CREATE = 4;
    static final byte DROP = 5;

    private final String engine;
    private final BackendConfig config;
    final LogBackendProvider.Flaw flaw;
    final Comparator<byte[]> order;
    private final Path file;
    private final Semaphore writeSlot = new Semaphore(1);
    private final ByteArrayOutputStream unsynced = new ByteArrayOutputStream();
    private FileChannel log;
    volatile TreeMap<String, TreeMap<byte[], byte[]>> committed;
    private volatile boolean closed;

    private LogBackend(String engine, BackendConfig config, LogBackendProvider.Flaw flaw) {
        this.engine = engine;
        this.config = config;
        this.flaw = flaw;
        this.order = flaw == LogBackendProvider.Flaw.SIGNED_ORDER ? Arrays::compare : Bytes.ORDER;
        this.file = config.directory().resolve("store.log");
    }

    static LogBackend open(String engine, BackendConfig config, LogBackendProvider.Flaw flaw) throws IOException {
        LogBackend b = new LogBackend(engine, config, flaw);
        b.log = FileChannel.open(b.file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        b.committed = b.replay();
        return b;
    }

    private TreeMap<String, TreeMap<byte[], byte[]>> replay() throws IOException {
        TreeMap<String, TreeMap<byte[], byte[]>> state = new TreeMap<>();
        long size = log.size();
        long pos = 0;
        ByteBuffer head = ByteBuffer.allocate(8);
        while (pos + 8 <= size) {
            head.clear();
            log.read(head, pos);
            int len = head.getInt(0);
            int crc = head.getInt(4);
            if (len < 0 || pos + 8 + len > size) {
                break; // torn tail of a commit that never returned
            }
            ByteBuffer body = ByteBuffer.allocate(len);
            log.read(body, pos + 8);
            CRC32C c = new CRC32C();
            c.update(body.array());
            if ((int) c.getValue() != crc) {
                break;
            }
            apply(state, body.array());
            pos += 8 + len;
        }
        log.truncate(pos);
        log.position(pos);
        return state;
    }

    private void apply(TreeMap<String, TreeMap<byte[], byte[]>> state, byte[] ops) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(ops));
        while (true) {
            int op;
            try {
                op = in.readByte();
            } catch (EOFException end) {
                return;
            }
            String bucket = in.readUTF();
            switch (op) {
                case CREATE -> state.putIfAbsent(bucket, new TreeMap<>(order));
                case DROP -> state.remove(bucket);
                case PUT -> state.get(bucket).put(read(in), read(in));
                case DELETE -> state.get(bucket).remove(read(in));
                case DELETE_RANGE -> {
                    byte[] from = read(in);
                    byte[] to = in.readBoolean() ? read(in) : null;
                    rangeOf(state.get(bucket), from, to).clear();
                }
                default -> throw new BackendCorruptedException(file + ": unknown op " + op);
            }
        }
    }

    /** The live view of {@code [from, to)} in {@code m}; empty when from >= to. */
    java.util.NavigableMap<byte[], byte[]> rangeOf(TreeMap<byte[], byte[]> m, byte[] from, byte[] to) {
        if (to == null) {
            return m.tailMap(from, true);
        }
        if (order.compare(from, to) >= 0) {
            return new TreeMap<>(order);
        }
        return m.subMap(from, true, to, false);
    }

    private static byte[] read(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    static void write(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    void ensureOpen() {
        if (closed) {
            throw new BackendClosedException("tck-log: backend " + config.directory() + " is closed");
        }
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public Path directory() {
        return config.directory();
    }

    @Override
    public ReadTx beginRead() {
        ensureOpen();
        return new LogReadTx(this, committed);
    }

    @Override
    public WriteTx beginWrite() {
        ensureOpen();
        writeSlot.acquireUninterruptibly();
        if (closed) {
            writeSlot.release();
            ensureOpen();
        }
        return new LogWriteTx(this, committed, config.durability());
    }

    /** Appends one commit record, makes its state the committed one. */
    synchronized void commit(byte[] ops, List<Integer> opStarts, TreeMap<String, TreeMap<byte[], byte[]>> state, Durability durability) {
        ensureOpen();
        try {
            switch (flaw) {
                case LAZY_SYNC -> unsynced.write(record(ops, 0, ops.length).array());
                case TORN_COMMIT -> {
                    for (int i = 0; i < opStarts.size(); i++) {
                        int end = i + 1 < opStarts.size() ? opStarts.get(i + 1) : ops.length;
                        append(record(ops, opStarts.get(i), end), durability);
                    }
                }
                case NONE, SIGNED_ORDER, LEAKY_WRITES -> append(record(ops, 0, ops.length), durability);
            }
        } catch (IOException e) {
            throw new BackendException("tck-log: commit to " + file + " failed: " + e.getMessage(), e);
        }
        committed = state;
    }

    private static ByteBuffer record(byte[] ops, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(ops, from, to - from);
        return ByteBuffer.allocate(8 + to - from).putInt(to - from).putInt((int) c.getValue()).put(ops, from, to - from).flip();
    }

    private void append(ByteBuffer rec, Durability durability) throws IOException {
        while (rec.hasRemaining()) {
            log.write(rec);
        }
        if (durability == Durability.SYNC) {
            log.force(false);
        }
    }

    void releaseWriteSlot() {
        writeSlot.release();
    }

    @Override
    public synchronized void sync() {
        ensureOpen();
        try {
            flushUnsynced();
            log.force(false);
        } catch (IOException e) {
            throw new BackendException("tck-log: sync of " + file + " failed: " + e.getMessage(), e);
        }
    }

    private void flushUnsynced() throws IOException {
        ByteBuffer pending = ByteBuffer.wrap(unsynced.toByteArray());
        while (pending.hasRemaining()) {
            log.write(pending);
        }
        unsynced.reset();
    }

    @Override
    public synchronized long sizeOnDisk() {
        ensureOpen();
        try {
            return log.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long sizeInUse() {
        ensureOpen();
        return Math.min(sizeOnDisk(), 8 + encode(committed).length);
    }

    static byte[] encode(TreeMap<String, TreeMap<byte[], byte[]>> state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            for (Map.Entry<String, TreeMap<byte[], byte[]>> b : state.entrySet()) {
                out.writeByte(CREATE);
                out.writeUTF(b.getKey());
                for (Map.Entry<byte[], byte[]> e : b.getValue().entrySet()) {
                    out.writeByte(PUT);
                    out.writeUTF(b.getKey());
                    write(out, e.getKey());
                    write(out, e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void defragment() {
        ensureOpen();
        writeSlot.acquireUninterruptibly();
        try {
            synchronized (this) {
                byte[] ops = encode(committed);
                Path tmp = file.resolveSibling("store.log.tmp");
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    ByteBuffer rec = record(ops, 0, ops.length);
                    while (rec.hasRemaining()) {
                        out.write(rec);
                    }
                    out.force(true);
                }
                flushUnsynced();
                unsynced.reset();
                log.close();
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                log.position(log.size());
            }
        } catch (IOException e) {
            throw new BackendException("tck-log: defragment of " + file + " failed: " + e.getMessage(), e);
        } finally {
            writeSlot.release();
        }
    }

    @Override
    public synchronized void close() {
        ensureOpen();
        closed = true;
        try {
            flushUnsynced();
            log.close();
        } catch (IOException e) {
            throw new BackendException("tck-log: close of " + file + " failed: " + e.getMessage(), e);
        }
    }
}
