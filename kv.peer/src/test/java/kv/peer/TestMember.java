package kv.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import kv.raft.raftpb.Message;

/** One member's peer layer on loopback: a server on an ephemeral port and a transport. */
final class TestMember implements AutoCloseable {
    static final long CLUSTER = 0xc1L;
    /** Snapshot data that is never used: tests of plain messages. */
    static final SnapshotData NO_SNAPSHOTS = new SnapshotData() {
        @Override
        public void writeTo(Message msgSnap, OutputStream out) throws IOException {
            throw new IOException("no snapshot here");
        }

        @Override
        public void receive(Message msgSnap, InputStream data) throws IOException {
            throw new IOException("no snapshot here");
        }
    };

    final long id;
    final PeerConfig config;
    final RecordingHandler handler = new RecordingHandler();
    final PeerServer server;
    final PeerTransport transport;
    final URI url;

    TestMember(long id, PeerConfig config, String scheme, int port, SnapshotData snapshots) {
        this.id = id;
        this.config = config;
        this.server = PeerServer.start(config, List.of(URI.create(scheme + "://127.0.0.1:" + port)), handler, snapshots);
        this.url = URI.create(scheme + "://127.0.0.1:" + server.boundPorts().getFirst());
        this.transport = new PeerTransport(config, handler, snapshots);
    }

    static TestMember plain(long id) {
        return new TestMember(id, config(id, PeerConfig.DEFAULT_QUEUE_SIZE), "http", 0, NO_SNAPSHOTS);
    }

    static PeerConfig config(long id, int queueSize) {
        return new PeerConfig(id, CLUSTER, PeerTls.NONE, Duration.ofSeconds(1), queueSize);
    }

    /** Makes every member a peer of every other one. */
    static void connect(List<TestMember> members) {
        for (TestMember a : members) {
            for (TestMember b : members) {
                if (a != b) {
                    a.transport.addPeer(b.id, List.of(b.url));
                }
            }
        }
    }

    int port() {
        return server.boundPorts().getFirst();
    }

    @Override
    public void close() {
        transport.close();
        server.close();
    }
}
