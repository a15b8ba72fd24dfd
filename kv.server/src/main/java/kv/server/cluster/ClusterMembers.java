package kv.server.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import kv.admin.cluster.MemberRecords;
import kv.admin.clusterpb.Member;
import kv.backend.Backend;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * The cluster's member list as this member has applied it: a copy of the backend's member records
 * (kept in the same write transaction as the applied index, so it replays exactly once), plus the
 * ids of removed members, which may never come back. Read from any thread; changed only by the apply
 * thread (conf changes, published attributes, a restored snapshot), which then tells the listeners
 * (the peer transport, the member itself when it is the one removed).
 */
public final class ClusterMembers {
    /** Told of every change after it is recorded; called on the apply thread, must not block. */
    public interface Listener {
        void added(Member m);

        void updated(Member m);

        void removed(long id);
    }

    private final long self;
    private final long clusterId;
    private final Map<Long, Member> members = new ConcurrentHashMap<>();
    private final Set<Long> removed = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public ClusterMembers(long self, long clusterId) {
        this.self = self;
        this.clusterId = clusterId;
    }

    public long self() {
        return self;
    }

    public long clusterId() {
        return clusterId;
    }

    public void listen(Listener l) {
        listeners.add(l);
    }

    /** Reads the records from the backend (at start, and after a snapshot replaced the backend). */
    public void load(Backend backend) {
        List<Member> list;
        Set<Long> gone;
        try (ReadTx tx = backend.beginRead()) {
            list = MemberRecords.list(tx);
            gone = MemberRecords.removed(tx);
        }
        Map<Long, Member> before = Map.copyOf(members);
        members.clear();
        list.forEach(m -> members.put(m.getId(), m));
        removed.addAll(gone);
        for (Member m : list) {
            Member old = before.get(m.getId());
            if (old == null) {
                listeners.forEach(l -> l.added(m));
            } else if (!old.equals(m)) {
                listeners.forEach(l -> l.updated(m));
            }
        }
        before.keySet().stream().filter(id -> !members.containsKey(id)).forEach(id -> listeners.forEach(l -> l.removed(id)));
    }

    /** Known before any record exists (a member joining an existing cluster learns them from a peer). */
    public void seed(List<Member> known) {
        for (Member m : known) {
            if (members.putIfAbsent(m.getId(), m) == null) {
                listeners.forEach(l -> l.added(m));
            }
        }
    }

    public List<Member> list() {
        List<Member> out = new ArrayList<>(members.values());
        out.sort(Comparator.comparing(Member::getId, Long::compareUnsigned));
        return out;
    }

    public Optional<Member> get(long id) {
        return Optional.ofNullable(members.get(id));
    }

    public boolean isRemoved(long id) {
        return removed.contains(id);
    }

    /** Whether another member already uses one of {@code peerUrls}. */
    public boolean peerUrlsTaken(List<String> peerUrls, long except) {
        return members.values().stream().anyMatch(m -> m.getId() != except && m.getPeerUrlsList().stream().anyMatch(peerUrls::contains));
    }

    // ---- apply thread: each writes its record in the caller's transaction, then updates the view

    void add(WriteTx tx, Member m) {
        MemberRecords.put(tx, m);
        boolean fresh = members.put(m.getId(), m) == null;
        listeners.forEach(l -> {
            if (fresh) {
                l.added(m);
            } else {
                l.updated(m);
            }
        });
    }

    void update(WriteTx tx, Member m) {
        MemberRecords.put(tx, m);
        members.put(m.getId(), m);
        listeners.forEach(l -> l.updated(m));
    }

    void remove(WriteTx tx, long id) {
        MemberRecords.remove(tx, id);
        members.remove(id);
        removed.add(id);
        listeners.forEach(l -> l.removed(id));
    }
}
