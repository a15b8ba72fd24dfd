package kv.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import kv.raft.raftpb.Snapshot;
import kv.raft.raftpb.SnapshotMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Snapshots streamed beside the messages, in chunks, with their backend data. */
class SnapshotTransferTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long SIZE = 64L << 20;

    /** Generates {@code size} pseudo-random bytes as the sender's backend data, hashing what it wrote. */
    static final class Generated implements SnapshotData {
        final long size;
        final AtomicReference<byte[]> sentDigest = new AtomicReference<>();
        final AtomicReference<byte[]> receivedDigest = new AtomicReference<>();
        final AtomicLong receivedBytes = new AtomicLong();
        final AtomicInteger maxRead = new AtomicInteger();
        volatile long failAfter = -1;
        volatile long senderFailsAfter = -1;

        Generated(long size) {
            this.size = size;
        }

        @Override
        public void writeTo(Message msgSnap, OutputStream out) throws IOException {
            MessageDigest d = sha256();
            SplittableRandom r = new SplittableRandom(msgSnap.getSnapshot().getMetadata().getIndex());
            byte[] piece = new byte[64 << 10];
            for (long done = 0; done < size; done += piece.length) {
                if (senderFailsAfter >= 0 && done > senderFailsAfter) {
                    throw new IOException("backend read failed");
                }
                r.nextBytes(piece);
                d.update(piece);
                out.write(piece);
            }
            sentDigest.set(d.digest());
        }

        @Override
        public void receive(Message msgSnap, InputStream data) throws IOException {
            MessageDigest d = sha256();
            byte[] buf = new byte[256 << 10];
            long total = 0;
            try (DigestInputStream in = new DigestInputStream(data, d)) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total += n;
                    maxRead.accumulateAndGet(n, Math::max);
                    if (failAfter >= 0 && total > failAfter) {
                        throw new IOException("disk full");
                    }
                }
            }
            receivedBytes.set(total);
            receivedDigest.set(d.digest());
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static Message msgSnap(long from, long to, long index) {
        return Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(from).setTo(to).setTerm(2)
                .setSnapshot(Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(2)))
                .build();
    }

    @Test
    void aSnapshotOf64MiBArrivesByteIdenticalInChunks() throws Exception {
        Generated data = new Generated(SIZE);
        try (var a = new TestMember(1, TestMember.config(1, 64), "http", 0, data);
             var b = new TestMember(2, TestMember.config(2, 64), "http", 0, data)) {
            a.transport.addPeer(2, List.of(b.url));
            a.transport.send(List.of(msgSnap(1, 2, 42), RecordingHandler.app(1, 2, 43)));
            assertEquals(new RecordingHandler.SnapshotReport(2, true), a.handler.takeSnapshotReport(WAIT));
            assertEquals(SIZE, data.receivedBytes.get());
            assertArrayEquals(data.sentDigest.get(), data.receivedDigest.get(), "sha-256 of the data");
            assertTrue(data.maxRead.get() <= 1 << 20, "data arrives in chunks of at most 1 MiB, saw a read of " + data.maxRead.get());
            List<Message> got = b.handler.take(2, WAIT);
            Message snap = got.stream().filter(m -> m.getType() == MessageType.MSG_SNAP).findFirst().orElseThrow();
            assertEquals(42, snap.getSnapshot().getMetadata().getIndex());
            assertEquals(0, b.server.stats().dropped());
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "kv.long", matches = "true")
    void aSnapshotOf1GiBStreamsThroughASmallHeap() throws Exception {
        long size = 1L << 30;
        Generated data = new Generated(size);
        try (var a = new TestMember(1, TestMember.config(1, 64), "http", 0, data);
             var b = new TestMember(2, TestMember.config(2, 64), "http", 0, data)) {
            a.transport.addPeer(2, List.of(b.url));
            long start = System.nanoTime();
            a.transport.send(List.of(msgSnap(1, 2, 42)));
            assertEquals(new RecordingHandler.SnapshotReport(2, true), a.handler.takeSnapshotReport(Duration.ofMinutes(5)));
            System.out.println("1 GiB snapshot in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms, max heap "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
            assertEquals(size, data.receivedBytes.get());
            assertArrayEquals(data.sentDigest.get(), data.receivedDigest.get(), "sha-256 of the data");
        }
    }

    @Test
    void aReceiverFailureIsReportedAndTheMsgSnapNotDelivered() throws Exception {
        Generated data = new Generated(SIZE);
        data.failAfter = 8L << 20;
        try (var a = new TestMember(1, TestMember.config(1, 64), "http", 0, data);
             var b = new TestMember(2, TestMember.config(2, 64), "http", 0, data)) {
            a.transport.addPeer(2, List.of(b.url));
            a.transport.send(List.of(msgSnap(1, 2, 7)));
            assertEquals(new RecordingHandler.SnapshotReport(2, false), a.handler.takeSnapshotReport(WAIT));
            Thread.sleep(200);
            assertTrue(b.handler.received.isEmpty(), "raft must not see a snapshot whose data was not stored");
        }
    }

    @Test
    void aSenderFailureMidwayReachesNeitherRaftNorTheStore() throws Exception {
        Generated data = new Generated(SIZE);
        data.senderFailsAfter = 8L << 20;
        try (var a = new TestMember(1, TestMember.config(1, 64), "http", 0, data);
             var b = new TestMember(2, TestMember.config(2, 64), "http", 0, data)) {
            a.transport.addPeer(2, List.of(b.url));
            a.transport.send(List.of(msgSnap(1, 2, 9)));
            assertEquals(new RecordingHandler.SnapshotReport(2, false), a.handler.takeSnapshotReport(WAIT));
            Thread.sleep(300);
            assertTrue(b.handler.received.isEmpty(), "raft must not see a snapshot cut short");
            assertEquals(null, data.receivedDigest.get(), "the receiver saw the stream break");
        }
    }

    @Test
    void aSnapshotToAnUnreachablePeerIsReportedFailed() throws Exception {
        Generated data = new Generated(SIZE);
        try (var a = new TestMember(1, TestMember.config(1, 64), "http", 0, data)) {
            var dead = TestMember.plain(2);
            var url = dead.url;
            dead.close();
            a.transport.addPeer(2, List.of(url));
            a.transport.send(List.of(msgSnap(1, 2, 7)));
            assertFalse(a.handler.takeSnapshotReport(WAIT).ok());
        }
    }
}
