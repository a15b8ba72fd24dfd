package kv.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The config records refuse what cannot work. */
class PeerConfigTest {
    private static final Optional<Path> PEM = Optional.of(Path.of("x.pem"));

    @Test
    void tlsNeedsCertAndKeyTogetherAndACaForClientCertAuth() {
        assertEquals("peer TLS needs both a cert file and a key file (got only the cert file)",
                assertThrows(IllegalArgumentException.class, () -> new PeerTls(PEM, Optional.empty(), Optional.empty(), false)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PeerTls(Optional.empty(), PEM, Optional.empty(), false));
        assertEquals("peer client cert auth needs a trusted CA file",
                assertThrows(IllegalArgumentException.class, () -> new PeerTls(PEM, PEM, Optional.empty(), true)).getMessage());
        new PeerTls(PEM, PEM, PEM, true);
    }

    @Test
    void timeoutsQueueSizesAndIdsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PeerConfig(1, 1, PeerTls.NONE, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new PeerConfig(1, 1, PeerTls.NONE, Duration.ofSeconds(1), 0));
        assertEquals(PeerConfig.DEFAULT_QUEUE_SIZE, new PeerConfig(1, 1, PeerTls.NONE, Duration.ofSeconds(1)).queueSize());
        var noIds = PeerConfig.tlsOnly(PeerTls.NONE, Duration.ofSeconds(1));
        var handler = new RecordingHandler();
        assertThrows(IllegalArgumentException.class, () -> new PeerTransport(noIds, handler, TestMember.NO_SNAPSHOTS));
        assertThrows(IllegalArgumentException.class,
                () -> PeerServer.start(noIds, List.of(URI.create("http://127.0.0.1:0")), handler, TestMember.NO_SNAPSHOTS));
    }

    @Test
    void listenUrlsMustBeHttpOrHttpsWithAPort() {
        var c = TestMember.config(1, 16);
        var handler = new RecordingHandler();
        for (String url : List.of("unix:///tmp/x", "http://127.0.0.1", "ftp://127.0.0.1:1")) {
            assertThrows(IllegalArgumentException.class, () -> PeerServer.start(c, List.of(URI.create(url)), handler, TestMember.NO_SNAPSHOTS), url);
        }
        assertThrows(IllegalArgumentException.class, () -> PeerServer.start(c, List.of(), handler, TestMember.NO_SNAPSHOTS));
    }
}
