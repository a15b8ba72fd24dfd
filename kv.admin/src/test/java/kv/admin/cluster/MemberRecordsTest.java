package kv.admin.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import kv.admin.clusterpb.Member;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendLocator;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberRecordsTest {
    @TempDir Path dir;

    private static Member member(long id, String name) {
        return Member.newBuilder().setId(id).setName(name).addPeerUrls("http://127.0.0.1:2380").build();
    }

    @Test
    void putListRemoveAndClearSurviveReopen() throws Exception {
        var provider = BackendLocator.load(null).find("jbolt");
        try (Backend b = provider.open(BackendConfig.of(dir))) {
            try (WriteTx tx = b.beginWrite()) {
                MemberRecords.put(tx, member(-5, "high-bit id"));
                MemberRecords.put(tx, member(7, "seven"));
                MemberRecords.put(tx, member(9, "nine"));
                MemberRecords.remove(tx, 9);
                tx.commit();
            }
        }
        try (Backend b = provider.open(BackendConfig.of(dir))) {
            try (ReadTx tx = b.beginRead()) {
                assertEquals(List.of("seven", "high-bit id"), MemberRecords.list(tx).stream().map(Member::getName).toList(),
                        "ordered by unsigned id, removed member gone");
                assertEquals(Set.of(9L), MemberRecords.removed(tx));
            }
            try (WriteTx tx = b.beginWrite()) {
                MemberRecords.clear(tx);
                tx.commit();
            }
            try (ReadTx tx = b.beginRead()) {
                assertTrue(MemberRecords.list(tx).isEmpty());
                assertTrue(MemberRecords.removed(tx).isEmpty());
            }
        }
    }

    @Test
    void aRecordUnderTheWrongKeyIsCorruption() throws Exception {
        var provider = BackendLocator.load(null).find("jbolt");
        try (Backend b = provider.open(BackendConfig.of(dir))) {
            try (WriteTx tx = b.beginWrite()) {
                MemberRecords.ensureBuckets(tx);
                tx.put(MemberRecords.MEMBERS, new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, member(2, "two").toByteArray());
                tx.commit();
            }
            try (ReadTx tx = b.beginRead()) {
                assertThrows(BackendCorruptedException.class, () -> MemberRecords.list(tx));
            }
        }
    }

    @Test
    void idsAreEtcds() {
        // etcd 3.4 gives a member with peer URL http://localhost:2380 and token etcd-cluster this id
        long id = MemberIds.memberId(List.of(java.net.URI.create("http://localhost:2380")), "etcd-cluster");
        assertEquals("8e9e05c52164694d", MemberIds.hex(id));
        assertEquals("cdf818194e3a8c32", MemberIds.hex(MemberIds.clusterId(List.of(id))));
    }
}
