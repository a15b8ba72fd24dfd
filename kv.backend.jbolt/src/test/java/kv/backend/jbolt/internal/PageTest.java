package kv.backend.jbolt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import kv.backend.Bytes;
import org.junit.jupiter.api.Test;

/** Node pages encoded by {@link Node#encode} and read in place by {@link Page}: layout, key order, searches. */
class PageTest {
    private static List<Node.Entry> entries(TreeSet<byte[]> keys, boolean leaf) {
        List<Node.Entry> out = new ArrayList<>();
        long child = 100;
        for (byte[] k : keys) {
            out.add(new Node.Entry(k, leaf ? Arrays.copyOf(k, k.length + 3) : null, child++));
        }
        return out;
    }

    /** Keys that share long prefixes and differ around the 8-byte word boundaries, with high bytes. */
    private static TreeSet<byte[]> keys(Random r, int n) {
        TreeSet<byte[]> keys = new TreeSet<>(Bytes.ORDER);
        while (keys.size() < n) {
            byte[] k = new byte[1 + r.nextInt(20)];
            for (int i = 0; i < k.length; i++) {
                k[i] = (byte) (r.nextBoolean() ? 0x7f + r.nextInt(3) : r.nextInt(2));
            }
            keys.add(k);
        }
        return keys;
    }

    @Test
    void leafPageRoundTripsAndSearchesLikeTheJavaOrder() {
        Random r = new Random(11);
        TreeSet<byte[]> keys = keys(r, 300);
        List<Node.Entry> group = entries(keys, true);
        MemorySegment s = MemorySegment.ofBuffer(Node.encode(true, group, 42, 1024, null));
        assertEquals(42, Page.id(s, 0));
        assertEquals(Page.LEAF, Page.flags(s, 0));
        assertEquals(300, Page.count(s, 0));
        assertEquals(s.byteSize() / 1024 - 1, Page.overflow(s, 0));
        List<byte[]> sorted = new ArrayList<>(keys);
        for (int i = 0; i < sorted.size(); i++) {
            assertArrayEquals(sorted.get(i), Page.key(s, 0, i));
            assertArrayEquals(Arrays.copyOf(sorted.get(i), sorted.get(i).length + 3), Page.value(s, 0, i));
        }
        for (int t = 0; t < 2000; t++) {
            byte[] probe = keys(r, 1).first();
            int expect = 0;
            while (expect < sorted.size() && Bytes.compare(sorted.get(expect), probe) < 0) {
                expect++;
            }
            assertEquals(expect, Page.lowerBound(s, 0, probe), () -> Arrays.toString(probe));
            for (int i = 0; i < 3; i++) {
                int at = r.nextInt(sorted.size());
                assertEquals(Integer.signum(Bytes.compare(sorted.get(at), probe)), Integer.signum(Page.compareKey(s, 0, at, probe)));
            }
        }
    }

    @Test
    void aNodeReadFromAPageEncodesToTheSameBytes() {
        TreeSet<byte[]> keys = keys(new Random(13), 40);
        java.nio.ByteBuffer page = Node.encode(true, entries(keys, true), 9, 2048, null);
        MemorySegment s = MemorySegment.ofBuffer(page);
        Node n = Node.read(s, 0, 9);
        assertEquals(40, n.entries.size());
        java.nio.ByteBuffer again = Node.encode(true, n.entries, 9, 2048, s);
        assertEquals(page.rewind(), again, "values carried over from the map unchanged");
        n.put(keys.first(), new byte[] {1, 2, 3});
        MemorySegment changed = MemorySegment.ofBuffer(Node.encode(true, n.entries, 9, 2048, s));
        assertArrayEquals(new byte[] {1, 2, 3}, Page.value(changed, 0, 0));
        assertArrayEquals(Arrays.copyOf(keys.last(), keys.last().length + 3), Page.value(changed, 0, 39));
    }

    @Test
    void branchPageFindsTheChildWhoseRangeHoldsTheKey() {
        Random r = new Random(12);
        TreeSet<byte[]> keys = keys(r, 50);
        MemorySegment s = MemorySegment.ofBuffer(Node.encode(false, entries(keys, false), 7, 4096, null));
        assertEquals(Page.BRANCH, Page.flags(s, 0));
        List<byte[]> sorted = new ArrayList<>(keys);
        for (int t = 0; t < 2000; t++) {
            byte[] probe = keys(r, 1).first();
            int expect = 0;
            for (int i = 0; i < sorted.size(); i++) {
                if (Bytes.compare(sorted.get(i), probe) <= 0) {
                    expect = i;
                }
            }
            int got = Page.childIndex(s, 0, probe);
            assertEquals(expect, got);
            assertEquals(100 + expect, Page.child(s, 0, got));
        }
    }

    @Test
    void splitMakesGroupsThatFitAPageUnlessOneEntryIsLarger() {
        List<Node.Entry> es = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            es.add(new Node.Entry(new byte[] {(byte) i}, new byte[i == 20 ? 5000 : 90], 0));
        }
        Node n = new Node(true, new ArrayList<>(es));
        for (List<Node.Entry> g : n.split(1024)) {
            long size = Page.HEADER + g.stream().mapToLong(e -> e.size(true)).sum();
            assertEquals(true, size <= 1024 || g.size() == 1, "group of " + g.size() + " is " + size + " bytes");
        }
    }
}
