package kv.server.cluster;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import kv.admin.clusterpb.Member;
import kv.api.etcdserverpb.AlarmRequest;
import kv.api.etcdserverpb.AlarmType;
import kv.api.etcdserverpb.HashKVRequest;
import kv.api.etcdserverpb.HashKVResponse;
import kv.peer.PeerClient;
import kv.peer.PeerConfig;
import kv.peer.PeerHash;
import kv.raft.StateRole;

/**
 * etcd's corruption check: members compare HashKV at the same revision over the peer URLs. At start
 * ({@code --experimental-initial-corrupt-check}) a member whose hash differs from a peer's at its
 * revision refuses to serve; periodically ({@code --experimental-corrupt-check-time}) the leader
 * asks every member for its hash at the leader's revision and raises the CORRUPT alarm for one that
 * differs (through raft: from then on every member refuses writes until the alarm is disarmed).
 * Members that have not applied the revision yet, or compacted differently, are skipped this round.
 */
public final class CorruptionCheck implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CorruptionCheck.class.getName());
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
    private final kv.server.core.Member member;
    private final ClusterMembers members;
    private final PeerConfig peers;
    private final Duration period;
    private volatile boolean closed;
    private Thread thread;

    public CorruptionCheck(kv.server.core.Member member, ClusterMembers members, PeerConfig peers, Duration period) {
        this.member = member;
        this.members = members;
        this.peers = peers;
        this.period = period;
    }

    /** This member's hash at {@code revision}, as the peer layer answers it. */
    public static PeerHash hashAt(kv.mvcc.MvccStore store, long revision) {
        try {
            HashKVResponse h = store.hashKv(HashKVRequest.newBuilder().setRevision(revision).build());
            return new PeerHash(h.getHash(), h.getHeader().getRevision(), h.getCompactRevision());
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The start-up check: throws when a peer has another hash at this member's revision. */
    public void checkAtStart() {
        long rev = member.store().currentRevision();
        PeerHash mine = mine(rev);
        for (Member peer : others()) {
            PeerHash theirs = ask(peer, rev);
            if (theirs != null && theirs.compactRevision() == mine.compactRevision() && theirs.hash() != mine.hash()) {
                throw new IllegalStateException(String.format("found data inconsistency with peers: local %x has hash %d at revision %d,"
                        + " peer %x has %d", members.self(), Integer.toUnsignedLong(mine.hash()), rev, peer.getId(),
                        Integer.toUnsignedLong(theirs.hash())));
            }
        }
        LOG.log(Level.INFO, "initial corruption check passed at revision {0} with {1} peers", rev, others().size());
    }

    public void start() {
        if (period.isZero() || period.isNegative()) {
            return;
        }
        thread = Thread.ofVirtual().name("corruption-check").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(period);
                    if (member.node().softState().role() == StateRole.LEADER) {
                        checkOnce();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "corruption check failed this round: " + e);
                }
            }
        });
    }

    /** One round on the leader: raises CORRUPT for each member whose hash differs at the same revision. */
    public void checkOnce() {
        long rev = member.store().currentRevision();
        PeerHash mine = mine(rev);
        for (Member peer : others()) {
            PeerHash theirs = ask(peer, rev);
            if (theirs == null || theirs.compactRevision() != mine.compactRevision() || theirs.hash() == mine.hash()) {
                continue;
            }
            LOG.log(Level.ERROR, String.format("member %x has hash %d at revision %d, the leader %d: raising the CORRUPT alarm",
                    peer.getId(), Integer.toUnsignedLong(theirs.hash()), rev, Integer.toUnsignedLong(mine.hash())));
            member.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(peer.getId())
                    .setAlarm(AlarmType.CORRUPT).build()).join();
        }
    }

    /** Hashing commits the store's open batch: on the apply thread, which owns it. */
    private PeerHash mine(long rev) {
        return member.onStoreThread(() -> hashAt(member.store(), rev)).join();
    }

    private List<Member> others() {
        return members.list().stream().filter(m -> m.getId() != members.self()).toList();
    }

    private PeerHash ask(Member peer, long rev) {
        try {
            return PeerClient.hashKv(peer.getId(), peer.getPeerUrlsList().stream().map(URI::create).toList(), peers, rev, ASK_TIMEOUT);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "no hash from {0} this round: {1}", Long.toHexString(peer.getId()), e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
