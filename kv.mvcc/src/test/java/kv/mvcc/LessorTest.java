package kv.mvcc;

import static kv.mvcc.Kv.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import kv.api.mvccpb.Event;
import kv.mvcc.lease.Checkpoint;
import kv.mvcc.lease.LeaseConfig;
import kv.mvcc.lease.LeaseInfo;
import kv.mvcc.lease.Lessor;
import kv.mvcc.lease.Renewal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease grant, expiry, renewal, checkpoints and revoke, driven by a manual clock. */
class LessorTest {
    private static final LeaseConfig LEASES = new LeaseConfig(Duration.ofMillis(1500), Duration.ofMinutes(5), Duration.ofSeconds(3));
    @TempDir
    Path dir;
    StoreFixture f;

    @BeforeEach
    void open() {
        f = new StoreFixture(dir, MvccConfig.defaults().withLease(LEASES), Engines.MEMORY);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Lessor lessor() {
        return f.store.lessor();
    }

    @Test
    void expiresOnlyOnThePrimaryAndIsReportedNotRevoked() {
        lessor().grant(f.next(), 7, 10);
        f.clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of(), lessor().expired(10), "a lessor that is not primary holds leases forever");
        lessor().promote(Duration.ZERO);
        f.clock.advance(Duration.ofSeconds(9));
        assertEquals(List.of(), lessor().expired(10));
        assertEquals(1, lessor().timeToLive(7, false).ttl());
        f.clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(7L), lessor().expired(10));
        assertEquals(List.of(), lessor().expired(10), "reported once per retry interval");
        assertTrue(lessor().exists(7), "expiry is reported, never acted on");
        f.clock.advance(Duration.ofSeconds(3));
        assertEquals(List.of(7L), lessor().expired(10), "reported again: the revoke may have been lost");
        assertThrows(MvccException.class, () -> lessor().renew(7), "an expired lease cannot be renewed");
    }

    @Test
    void minimumTtlAndRenew() {
        LeaseInfo l = lessor().grant(f.next(), 1, 1);
        assertEquals(2, l.grantedTtl(), "1.5 s minimum rounds up to 2 s");
        lessor().promote(Duration.ZERO);
        f.clock.advance(Duration.ofMillis(1900));
        Renewal r = lessor().renew(1);
        assertEquals(new Renewal(2, false), r);
        f.clock.advance(Duration.ofMillis(1900));
        assertEquals(List.of(), lessor().expired(10));
        f.clock.advance(Duration.ofMillis(100));
        assertEquals(List.of(1L), lessor().expired(10));
    }

    @Test
    void promotionExtends() {
        lessor().grant(f.next(), 1, 10);
        lessor().promote(Duration.ofSeconds(5));
        f.clock.advance(Duration.ofSeconds(14));
        assertEquals(List.of(), lessor().expired(10));
        f.clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(1L), lessor().expired(10));
        lessor().demote();
        assertEquals(List.of(), lessor().expired(10));
    }

    @Test
    void revokeDeletesAttachedKeysInOneRevision() throws Exception {
        lessor().grant(f.next(), 9, 100);
        f.store.put(put("a", "1").toBuilder().setLease(9).build(), f.next());
        f.store.put(put("b", "1").toBuilder().setLease(9).build(), f.next());
        f.store.put(put("c", "1"), f.next());
        f.store.put(put("b", "2").toBuilder().setLease(9).build(), f.next());
        f.store.put(put("d", "1").toBuilder().setLease(9).build(), f.next());
        f.store.put(put("d", "2"), f.next()); // a put without the lease detaches it
        assertEquals(List.of("a", "b"), keys(lessor().timeToLive(9, true)));
        assertEquals(9, lessor().leaseOf(bs("a").toByteArray()));
        try (WatchStream w = f.store.newWatchStream()) {
            w.watch(0, bs("a").toByteArray(), new byte[0], 0, Set.of(), false, false);
            long rev = f.store.currentRevision();
            lessor().revoke(f.next(), 9);
            assertEquals(rev + 1, f.store.currentRevision());
            WatchUpdate u = w.poll();
            assertEquals(List.of(Event.EventType.DELETE, Event.EventType.DELETE), u.events().stream().map(Event::getType).toList());
            assertEquals(rev + 1, u.events().get(1).getKv().getModRevision());
        }
        assertEquals(2, f.store.range(prefix("a")).getCount(), "c and d stay");
        assertFalse(lessor().exists(9));
        assertFalse(f.reopen().lessor().exists(9), "the revoke is persisted");
    }

    @Test
    void leasesAndAttachmentsSurviveReopen() {
        lessor().grant(f.next(), 1, 30);
        lessor().grant(f.next(), 2, 60);
        f.store.put(put("x", "1").toBuilder().setLease(2).build(), f.next());
        f.store.deleteRange(del("x"), f.next());
        f.store.put(put("y", "1").toBuilder().setLease(2).build(), f.next());
        Lessor l = f.reopen().lessor();
        assertEquals(List.of(1L, 2L), l.leases().stream().map(LeaseInfo::id).toList());
        assertEquals(List.of("y"), keys(l.timeToLive(2, true)));
        assertEquals(30, l.timeToLive(1, false).grantedTtl());
    }

    @Test
    void checkpointsKeepTheRemainingTtlAcrossALeaderChange() {
        lessor().grant(f.next(), 1, 3600);
        lessor().grant(f.next(), 2, 60); // shorter than the interval: never checkpointed
        lessor().promote(Duration.ZERO);
        f.clock.advance(Duration.ofMinutes(5));
        List<Checkpoint> due = lessor().dueCheckpoints(10);
        assertEquals(List.of(new Checkpoint(1, 3300)), due);
        lessor().checkpoint(f.next(), 1, 3300);
        // the leader changes: the new primary restores from the backend and promotes
        Lessor next = f.reopen().lessor();
        next.promote(Duration.ZERO);
        assertEquals(3300, next.timeToLive(1, false).ttl());
        f.clock.advance(Duration.ofSeconds(3299));
        assertFalse(next.expired(10).contains(1L));
        f.clock.advance(Duration.ofSeconds(1));
        assertTrue(next.expired(10).contains(1L));
    }

    @Test
    void promotionSpreadsPiledUpExpiries() {
        for (long id = 1; id <= 3000; id++) {
            lessor().grant(f.next(), id, 10);
        }
        lessor().promote(Duration.ZERO);
        f.clock.advance(Duration.ofSeconds(10));
        assertEquals(750, lessor().expired(10_000).size(), "3/4 of the revoke rate expire in the first second");
        f.clock.advance(Duration.ofSeconds(2));
        assertEquals(750, lessor().expired(10_000).size(), "the next 750 were pushed back into the next second");
        f.clock.advance(Duration.ofSeconds(1));
        assertEquals(1500, lessor().expired(10_000).size(), "750 more, and the first 750 again (retry after 3 s)");
        f.clock.advance(Duration.ofSeconds(1));
        assertEquals(750, lessor().expired(10_000).size(), "the last 750");
    }

    @Test
    void renewAsksToClearACheckpoint() {
        lessor().grant(f.next(), 1, 3600);
        lessor().checkpoint(f.next(), 1, 100);
        lessor().promote(Duration.ZERO);
        assertEquals(100, lessor().timeToLive(1, false).ttl());
        assertEquals(new Renewal(3600, true), lessor().renew(1));
        assertEquals(3600, lessor().timeToLive(1, false).ttl());
        lessor().checkpoint(f.next(), 1, 0);
        assertEquals(new Renewal(3600, false), lessor().renew(1));
    }

    private static List<String> keys(LeaseInfo l) {
        return l.keys().stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList();
    }
}
