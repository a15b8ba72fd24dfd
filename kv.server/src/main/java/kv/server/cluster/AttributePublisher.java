package kv.server.cluster;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.server.serverpb.InternalRequest;
import kv.server.serverpb.MemberAttributes;

/**
 * etcd's "publish": once running, a member proposes its name and client URLs so that the member
 * list shows them (a member added with {@code member add} is known only by its peer URLs until then,
 * and etcdctl lists it as unstarted). Proposed once on every start, also when the record already
 * carries them: its being applied shows that this member has caught up with a leader, which is when
 * kvd starts serving clients, as etcd. Retried until applied.
 */
public final class AttributePublisher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AttributePublisher.class.getName());
    private static final Duration RETRY = Duration.ofMillis(500);
    private final kv.server.core.Member member;
    private final ClusterMembers members;
    private final String name;
    private final List<String> clientUrls;
    private volatile boolean closed;
    private volatile boolean joined;
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private Thread thread;

    public AttributePublisher(kv.server.core.Member member, ClusterMembers members, String name, List<String> clientUrls) {
        this.member = member;
        this.members = members;
        this.name = name;
        this.clientUrls = List.copyOf(clientUrls);
    }

    public void start() {
        thread = Thread.ofVirtual().name("publish-attributes").start(() -> {
            try {
                run();
            } finally {
                done.countDown();
            }
        });
    }

    /**
     * Waits until this member's attributes are applied (it has a leader and a quorum) or the
     * publisher is closed: etcd serves clients only from then on. Returns whether it published.
     */
    public boolean awaitPublished() throws InterruptedException {
        done.await();
        return joined;
    }

    private boolean published() {
        return members.get(members.self()).map(m -> m.getName().equals(name) && m.getClientUrlsList().equals(clientUrls)).orElse(false);
    }

    private void run() {
        while (!closed) {
            try {
                member.propose(InternalRequest.newBuilder().setMemberAttributes(MemberAttributes.newBuilder()
                        .setMemberId(members.self()).setName(name).addAllClientUrls(clientUrls))).get(10, TimeUnit.SECONDS);
                if (published()) {
                    joined = true;
                    LOG.log(Level.INFO, "published member {0} name {1} client URLs {2}", Long.toHexString(members.self()), name, clientUrls);
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!closed) {
                    LOG.log(Level.DEBUG, "publishing this member's attributes failed, retrying: " + e);
                }
            }
            try {
                Thread.sleep(RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        done.countDown();
        if (thread != null) {
            thread.interrupt();
        }
    }
}
