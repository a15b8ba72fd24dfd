package kv.backend.jbolt.internal;

import static kv.backend.jbolt.internal.TreeShapeTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import kv.backend.BackendCorruptedException;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check() finds deliberately damaged pages; reads of a damaged page fail as corruption, not garbage. */
class CheckTest {
    private static final int PAGE = 1024;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("c.db");
    }

    private void build() throws Exception {
        try (JboltDb db = JboltDb.open(file(), new JboltOptions(PAGE, Durability.SYNC)); JboltTx tx = db.begin(true)) {
            JboltBucket b = tx.createBucket("b");
            for (int i = 0; i < 400; i++) {
                b.put(key(i), new byte[16]);
            }
            tx.commit();
        }
    }

    /** The id of some leaf page of bucket b, found by walking from the root through page 0's meta. */
    private long someLeaf(JboltDb db) {
        try (JboltTx tx = db.begin(false)) {
            Tx t = (Tx) tx;
            Tree tree = t.requireTree("b");
            long pg = tree.rootPgid;
            while (!Page.isLeaf(t.segment(), t.nodeBase(pg))) {
                pg = Page.child(t.segment(), t.nodeBase(pg), 1);
            }
            return pg;
        }
    }

    private void write(long offset, ByteBuffer bytes) throws Exception {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ch.write(bytes, offset);
        }
    }

    @Test
    void consistentFilePasses() throws Exception {
        build();
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            assertEquals(List.of(), db.check());
        }
    }

    @Test
    void swappedKeysInALeafAreFound() throws Exception {
        build();
        long leaf;
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            leaf = someLeaf(db);
        }
        // point element 0's key at element 1's key bytes: now keys 0 and 1 are equal
        ByteBuffer e1 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ)) {
            ch.read(e1, leaf * PAGE + Page.HEADER + Page.ELEMENT);
        }
        e1.flip();
        write(leaf * PAGE + Page.HEADER, e1);
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            List<String> problems = db.check();
            assertFalse(problems.isEmpty());
            assertTrue(problems.toString().contains("page " + leaf), problems.toString());
        }
    }

    @Test
    void overwrittenPageHeaderIsFoundAndReadsFail() throws Exception {
        build();
        long leaf;
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            leaf = someLeaf(db);
        }
        write(leaf * PAGE, ByteBuffer.wrap(new byte[32]));
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            List<String> problems = db.check();
            assertTrue(problems.toString().contains("page " + leaf + " is not a valid node page"), problems.toString());
            assertTrue(problems.toString().contains("neither reachable nor free"), problems.toString());
            try (JboltTx tx = db.begin(false)) {
                assertThrows(BackendCorruptedException.class, () -> {
                    for (int i = 0; i < 400; i++) {
                        tx.bucket("b").get(key(i));
                    }
                });
            }
        }
    }

    @Test
    void pageBothFreeAndReachableIsFound() throws Exception {
        build();
        long leaf;
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            leaf = someLeaf(db);
            // put the leaf into the writer's free list behind the file's back
            db.check();
            Engine e = engineOf(db);
            long[] all = e.freelist().all();
            long[] with = java.util.Arrays.copyOf(all, all.length + 1);
            with[all.length] = leaf;
            java.util.Arrays.sort(with);
            e.freelist().load(with);
            List<String> problems = db.check();
            assertTrue(problems.toString().contains("differs from the writer's"), problems.toString());
        }
    }

    static Engine engineOf(JboltDb db) throws Exception {
        var f = JboltDb.class.getDeclaredField("engine");
        f.setAccessible(true);
        return (Engine) f.get(db);
    }
}
