package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.KeyTooLargeException;
import kv.backend.ReadTx;
import kv.backend.TransactionClosedException;
import kv.backend.ValueTooLargeException;
import kv.backend.WriteTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.function.Executable;

/**
 * Wrong calls get the documented exception, leave the transaction usable where the contract says
 * so, and corrupt nothing (the content is verified after each, and after a reopen).
 */
public abstract class MisuseContract extends CrudContract {
    protected MisuseContract() {}

    private Model seed(Backend b) {
        Model m = new Model();
        m.createBucket("m");
        m.createBucket("n");
        for (int i = 0; i < 50; i++) {
            m.put("m", bytes(i, i), bytes(i));
        }
        write(b, m::writeTo);
        return m;
    }

    private void assertIntact(Backend b, Model m, String context) {
        try (ReadTx tx = b.beginRead()) {
            m.assertMatches(tx, context);
        }
        Backend again = reopen(b);
        try (ReadTx tx = again.beginRead()) {
            m.assertMatches(tx, context + ", after reopen");
        }
    }

    @Test
    public void everyCallOnAClosedBackendThrows() {
        Backend b = open("s");
        Model m = seed(b);
        ReadTx reader = b.beginRead();
        b.close();
        List<Executable> calls = List.of(b::beginRead, b::beginWrite, b::sync, b::sizeOnDisk, b::sizeInUse, b::defragment);
        for (Executable call : calls) {
            assertThrows(BackendClosedException.class, call, "a call on a closed backend");
        }
        assertThrows(BackendClosedException.class, () -> reader.get("m", bytes(1, 1)), "a read transaction open across close");
        assertDoesNotThrow(reader::close, "closing a transaction of a closed backend");
        Backend again = open("s");
        try (ReadTx tx = again.beginRead()) {
            m.assertMatches(tx, "after close and reopen");
        }
    }

    @Test
    public void writeTransactionOpenAcrossCloseIsDiscarded() {
        Backend b = open("s");
        Model m = seed(b);
        WriteTx tx = b.beginWrite();
        tx.put("m", bytes(200), bytes(200));
        b.close();
        assertThrows(BackendClosedException.class, () -> tx.put("m", bytes(201), bytes(201)), "put after backend close");
        assertThrows(BackendClosedException.class, tx::commit, "commit after backend close");
        assertDoesNotThrow(tx::close);
        Backend again = open("s");
        try (ReadTx r = again.beginRead()) {
            m.assertMatches(r, "the write transaction left open at close is not committed");
        }
    }

    @Test
    public void callsAfterCommitThrowTransactionClosed() {
        Backend b = open("s");
        Model m = seed(b);
        WriteTx tx = b.beginWrite();
        tx.put("m", bytes(100), bytes(100));
        tx.commit();
        m.put("m", bytes(100), bytes(100));
        assertThrows(TransactionClosedException.class, () -> tx.put("m", bytes(101), bytes(101)), "put after commit");
        assertThrows(TransactionClosedException.class, () -> tx.delete("m", bytes(1, 1)), "delete after commit");
        assertThrows(TransactionClosedException.class, () -> tx.deleteRange("m", bytes(0), null), "deleteRange after commit");
        assertThrows(TransactionClosedException.class, () -> tx.createBucket("x"), "createBucket after commit");
        assertThrows(TransactionClosedException.class, () -> tx.deleteBucket("m"), "deleteBucket after commit");
        assertThrows(TransactionClosedException.class, () -> tx.get("m", bytes(1, 1)), "get after commit");
        assertThrows(TransactionClosedException.class, tx::commit, "commit twice");
        assertDoesNotThrow(tx::close, "close after commit does nothing");
        assertIntact(b, m, "after calls on a committed transaction");
    }

    @Test
    public void callsAfterAbortThrowTransactionClosed() {
        Backend b = open("s");
        Model m = seed(b);
        WriteTx tx = b.beginWrite();
        tx.put("m", bytes(100), bytes(100));
        tx.close();
        assertThrows(TransactionClosedException.class, () -> tx.put("m", bytes(101), bytes(101)), "put after close");
        assertThrows(TransactionClosedException.class, tx::commit, "commit after close");
        assertDoesNotThrow(tx::close, "close twice");
        ReadTx r = b.beginRead();
        r.close();
        assertThrows(TransactionClosedException.class, () -> r.get("m", bytes(1, 1)), "get on a closed read transaction");
        assertThrows(TransactionClosedException.class, () -> r.cursor("m"), "cursor on a closed read transaction");
        assertIntact(b, m, "after calls on an aborted transaction");
    }

    @Test
    public void tooLargeKeyIsRefusedAndTheTransactionGoesOn() {
        Backend b = open("s");
        Model m = seed(b);
        try (WriteTx tx = b.beginWrite()) {
            assertThrows(KeyTooLargeException.class, () -> tx.put("m", new byte[Backend.MAX_KEY_SIZE + 1], bytes(1)), "key over MAX_KEY_SIZE");
            assertThrows(IllegalArgumentException.class, () -> tx.put("m", new byte[0], bytes(1)), "empty key");
            byte[] biggest = new byte[Backend.MAX_KEY_SIZE];
            biggest[0] = (byte) 0xee;
            tx.put("m", biggest, bytes(2));
            m.put("m", biggest, bytes(2));
            tx.put("m", bytes(7), bytes(7));
            m.put("m", bytes(7), bytes(7));
            tx.commit();
        }
        assertIntact(b, m, "after refused keys");
    }

    /** Allocates a 512 MiB + 1 byte value, so it runs only under {@code kv.long}. */
    @Test
    @EnabledIfSystemProperty(named = "kv.long", matches = "true")
    public void tooLargeValueIsRefusedAndTheTransactionGoesOn() {
        Backend b = open("s");
        Model m = seed(b);
        try (WriteTx tx = b.beginWrite()) {
            byte[] huge = new byte[Backend.MAX_VALUE_SIZE + 1];
            assertThrows(ValueTooLargeException.class, () -> tx.put("m", bytes(1), huge), "value over MAX_VALUE_SIZE");
            tx.put("m", bytes(8), bytes(8));
            m.put("m", bytes(8), bytes(8));
            tx.commit();
        }
        assertIntact(b, m, "after a refused value");
    }

    @Test
    public void missingBucketIsReportedAndNothingChanges() {
        Backend b = open("s");
        Model m = seed(b);
        try (WriteTx tx = b.beginWrite()) {
            assertThrows(BucketNotFoundException.class, () -> tx.put("nope", bytes(1), bytes(1)), "put");
            assertThrows(BucketNotFoundException.class, () -> tx.delete("nope", bytes(1)), "delete");
            assertThrows(BucketNotFoundException.class, () -> tx.deleteRange("nope", bytes(1), null), "deleteRange");
            tx.put("m", bytes(9), bytes(9));
            m.put("m", bytes(9), bytes(9));
            tx.commit();
        }
        try (ReadTx tx = b.beginRead()) {
            assertTrue(!tx.hasBucket("nope"));
            assertMissingBucketRead(() -> tx.get("nope", bytes(1)));
            assertMissingBucketRead(() -> {
                try (Cursor c = tx.cursor("nope")) {
                    return c.first() ? bytes(1) : null;
                }
            });
        }
        assertIntact(b, m, "after writes to a missing bucket");
    }

    /** A read of a missing bucket finds nothing: it returns null or throws BucketNotFoundException. */
    private static void assertMissingBucketRead(java.util.function.Supplier<byte[]> read) {
        try {
            assertNull(read.get(), "a read of a missing bucket found something");
        } catch (BucketNotFoundException expected) {
            // also allowed
        }
    }

    @Test
    public void failedCallInsideATransactionChangesNothingOfIt() {
        Backend b = open("s");
        Model m = seed(b);
        try (WriteTx tx = b.beginWrite()) {
            tx.put("m", bytes(60), bytes(60));
            m.put("m", bytes(60), bytes(60));
            assertThrows(BucketNotFoundException.class, () -> tx.put("gone", bytes(1), bytes(1)));
            assertThrows(KeyTooLargeException.class, () -> tx.put("n", new byte[Backend.MAX_KEY_SIZE + 7], bytes(1)));
            assertArrayEquals(bytes(60), tx.get("m", bytes(60)), "earlier writes of the transaction are kept");
            m.assertMatches(tx, "inside the transaction after refused calls");
            tx.commit();
        }
        assertIntact(b, m, "after commit");
    }
}
