package kv.server.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import kv.api.etcdserverpb.CompactionRequest;
import kv.raft.StateRole;
import kv.server.config.AutoCompaction;

/**
 * etcd's automatic compaction, run by the leader only (a compaction is a proposal like any other):
 * <ul>
 *   <li>periodic: samples the store's revision every tenth of the retention window and compacts to
 *       the revision sampled a whole window ago, so about {@code retention} of history stays;</li>
 *   <li>revision: every five minutes compacts to {@code current - retention}.</li>
 * </ul>
 * Driven by {@link #tick(long)} with a monotonic clock in nanoseconds, so tests step it.
 */
public final class AutoCompactor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AutoCompactor.class.getName());
    private static final Duration REVISION_MODE_PERIOD = Duration.ofMinutes(5);

    private record Sample(long atNanos, long revision) {}

    /** What the compactor needs of a member. */
    interface Target {
        long currentRevision();

        long compactRevision();

        boolean leading();

        /** Proposes a compaction to {@code revision} (asynchronously; failures are logged). */
        void compact(long revision);
    }

    private final Target member;
    private final AutoCompaction mode;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean stop;
    private long lastRun = Long.MIN_VALUE;
    private long lastCompacted;

    public AutoCompactor(Member member, AutoCompaction mode) {
        this(new Target() {
            @Override
            public long currentRevision() {
                return member.store().currentRevision();
            }

            @Override
            public long compactRevision() {
                return member.store().compactRevision();
            }

            @Override
            public boolean leading() {
                return member.node().softState().role() == StateRole.LEADER;
            }

            @Override
            public void compact(long rev) {
                member.compact(CompactionRequest.newBuilder().setRevision(rev).build()).whenComplete((r, err) -> {
                    if (err == null) {
                        LOG.log(Level.INFO, "auto-compacted to revision {0}", rev);
                    } else {
                        LOG.log(Level.WARNING, "auto compaction to revision {0} failed: {1}", rev, err.getMessage());
                    }
                });
            }
        }, mode);
    }

    AutoCompactor(Target member, AutoCompaction mode) {
        this.member = member;
        this.mode = mode;
        this.thread = Thread.ofPlatform().name("auto-compactor").daemon(true).unstarted(this::run);
    }

    public void start() {
        if (!(mode instanceof AutoCompaction.Off)) {
            thread.start();
        }
    }

    private Duration period() {
        return switch (mode) {
            case AutoCompaction.Periodic p -> p.retention().dividedBy(10).isZero() ? p.retention() : p.retention().dividedBy(10);
            case AutoCompaction.Revision r -> REVISION_MODE_PERIOD;
            case AutoCompaction.Off o -> Duration.ofDays(365);
        };
    }

    private void run() {
        while (!stop) {
            try {
                tick(System.nanoTime());
                Thread.sleep(Math.min(period().toMillis(), 1000));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "auto compaction round failed; retrying: " + e);
            }
        }
    }

    /** One step at time {@code now}: sample, and compact when a period has passed on the leader. */
    void tick(long now) {
        if (lastRun != Long.MIN_VALUE && now - lastRun < period().toNanos()) {
            return;
        }
        lastRun = now;
        long current = member.currentRevision();
        long target = switch (mode) {
            case AutoCompaction.Periodic p -> {
                samples.addLast(new Sample(now, current));
                long windowStart = now - p.retention().toNanos();
                long t = 0;
                while (!samples.isEmpty() && samples.peekFirst().atNanos() <= windowStart) {
                    t = samples.pollFirst().revision();
                }
                yield t;
            }
            case AutoCompaction.Revision r -> current - r.retention();
            case AutoCompaction.Off o -> 0;
        };
        if (target <= lastCompacted || target <= member.compactRevision() || !member.leading()) {
            return;
        }
        member.compact(target);
        lastCompacted = target;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
