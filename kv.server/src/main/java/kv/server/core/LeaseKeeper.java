package kv.server.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import kv.api.etcdserverpb.LeaseRevokeRequest;
import kv.mvcc.lease.Checkpoint;
import kv.mvcc.lease.Lessor;
import kv.raft.StateRole;

/**
 * Makes the leader's lessor the one that decides expiry: promotes it when this member leads and
 * demotes it when it stops leading; on the leader, proposes a revoke for every expired lease and
 * the remaining-TTL checkpoints that are due. Expiry is never applied directly: a revoke goes
 * through raft like any client request, so every member deletes the same keys at the same revision.
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LeaseKeeper.class.getName());
    private static final int BATCH = 500;

    private final Member member;
    private final Duration electionTimeout;
    private final Duration period;
    private final boolean checkpoints;
    private final Thread thread;
    private volatile boolean stop;

    public LeaseKeeper(Member member, Duration electionTimeout, Duration period, boolean checkpoints) {
        this.member = member;
        this.electionTimeout = electionTimeout;
        this.period = period;
        this.checkpoints = checkpoints;
        this.thread = Thread.ofPlatform().name("lease-keeper").daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (!stop) {
            try {
                round();
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "lease round failed; retrying: " + e);
            }
        }
    }

    /** One round: follow leadership, then revoke what expired and checkpoint what is due. */
    void round() {
        Lessor lessor = member.store().lessor();
        boolean leading = member.node().softState().role() == StateRole.LEADER;
        if (leading && !lessor.isPrimary()) {
            // a new leader gives every lease an election timeout of grace, as etcd does
            lessor.promote(electionTimeout);
            LOG.log(Level.INFO, "this member now decides lease expiry");
        } else if (!leading && lessor.isPrimary()) {
            lessor.demote();
        }
        if (!leading) {
            return;
        }
        for (long id : lessor.expired(BATCH)) {
            member.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()).whenComplete((r, err) -> {
                if (err != null) {
                    LOG.log(Level.DEBUG, "revoking expired lease {0} failed (retried later): {1}", Long.toHexString(id), err);
                }
            });
        }
        if (checkpoints) {
            List<Checkpoint> due = lessor.dueCheckpoints(BATCH);
            if (!due.isEmpty()) {
                member.leaseCheckpoint(due);
            }
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
