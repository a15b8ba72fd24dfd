package kv.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Members call a joining member makes. */
class PeerClientTest {
    private static final ClusterView VIEW = new ClusterView(TestMember.CLUSTER, List.of(
            new PeerMember(2, "m2", List.of(URI.create("http://127.0.0.1:2380")), List.of(URI.create("http://127.0.0.1:2379")), false),
            new PeerMember(0xfeedfacecafebeefL, "", List.of(URI.create("http://127.0.0.1:12380")), List.of(), true)));

    @Test
    void fetchesTheMembershipFromTheFirstMemberThatAnswers() throws Exception {
        try (var b = TestMember.plain(2)) {
            b.handler.view = VIEW;
            var dead = TestMember.plain(3);
            URI deadUrl = dead.url;
            dead.close();
            var joining = PeerConfig.tlsOnly(PeerTls.NONE, Duration.ofSeconds(1));
            assertEquals(VIEW, PeerClient.fetchMembers(List.of(deadUrl, b.url), joining, Duration.ofSeconds(5)));
            // a member that knows its cluster is answered by the same cluster only
            var sameCluster = new PeerConfig(4, TestMember.CLUSTER, PeerTls.NONE, Duration.ofSeconds(1));
            assertEquals(VIEW, PeerClient.fetchMembers(List.of(b.url), sameCluster, Duration.ofSeconds(5)));
            var other = new PeerConfig(4, 0x99, PeerTls.NONE, Duration.ofSeconds(1));
            IOException e = assertThrows(IOException.class, () -> PeerClient.fetchMembers(List.of(b.url), other, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("cluster id mismatch"), e.getMessage());
        }
    }

    @Test
    void nobodyAnsweringIsAClearError() throws Exception {
        var dead = TestMember.plain(3);
        URI a = dead.url;
        dead.close();
        URI b = URI.create("http://127.0.0.1:1");
        var config = PeerConfig.tlsOnly(PeerTls.NONE, Duration.ofMillis(500));
        IOException e = assertThrows(IOException.class, () -> PeerClient.fetchMembers(List.of(a, b), config, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().startsWith("peer: could not retrieve cluster information from the given URLs"), e.getMessage());
        assertTrue(e.getMessage().contains(a.toString()) && e.getMessage().contains(b.toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PeerClient.fetchMembers(List.of(), config, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> PeerClient.fetchMembers(List.of(URI.create("ftp://127.0.0.1:1")), config, Duration.ofSeconds(1)));
    }

    @Test
    void hashKvAnswersAtARevisionOrSaysWhyNot() throws Exception {
        try (var b = TestMember.plain(2)) {
            var config = new PeerConfig(4, TestMember.CLUSTER, PeerTls.NONE, Duration.ofSeconds(1));
            assertEquals(new PeerHash(0x5eed, 42, -1), PeerClient.hashKv(2, List.of(b.url), config, 42, Duration.ofSeconds(5)));
            IOException e = assertThrows(IOException.class, () -> PeerClient.hashKv(2, List.of(b.url), config, 101, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("future revision"), e.getMessage());
        }
    }
}
