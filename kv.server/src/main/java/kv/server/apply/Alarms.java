package kv.server.apply;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kv.api.etcdserverpb.AlarmMember;
import kv.api.etcdserverpb.AlarmType;
import kv.backend.Backend;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * The cluster's alarms (NOSPACE, CORRUPT), raised and cleared through raft so every member agrees,
 * and kept in backend bucket {@code "alarm"} so they survive restarts. While NOSPACE is raised,
 * requests that add data are refused with etcd's "database space exceeded"; reads, deletes and
 * compactions pass. Read from any thread; changed by the apply thread only.
 */
public final class Alarms {
    static final String BUCKET = "alarm";

    private record Raised(long member, AlarmType type) {}

    private final Backend backend;
    private final Set<Raised> raised = ConcurrentHashMap.newKeySet();

    public Alarms(Backend backend) {
        this.backend = backend;
        try (WriteTx tx = backend.beginWrite()) {
            tx.createBucket(BUCKET);
            tx.commit();
        }
        reload();
    }

    /** Reads the raised alarms from the backend again (after a leader's snapshot replaced it). */
    public void reload() {
        Set<Raised> now = new java.util.HashSet<>();
        try (ReadTx tx = backend.beginRead()) {
            if (tx.hasBucket(BUCKET)) {
                tx.scan(BUCKET, null, null, (k, v) -> {
                    ByteBuffer b = ByteBuffer.wrap(k);
                    now.add(new Raised(b.getLong(), AlarmType.forNumber(b.getInt())));
                    return true;
                });
            }
        }
        raised.retainAll(now);
        raised.addAll(now);
    }

    /** Whether the NOSPACE alarm is raised by any member. */
    public boolean noSpace() {
        return raised.stream().anyMatch(r -> r.type() == AlarmType.NOSPACE);
    }

    /** Whether the CORRUPT alarm is raised by any member. */
    public boolean corrupt() {
        return raised.stream().anyMatch(r -> r.type() == AlarmType.CORRUPT);
    }

    /** Every raised alarm, or those of one type ({@link AlarmType#NONE} for all). */
    public List<AlarmMember> list(AlarmType type) {
        List<AlarmMember> out = new ArrayList<>();
        for (Raised r : raised) {
            if (type == AlarmType.NONE || r.type() == type) {
                out.add(AlarmMember.newBuilder().setMemberID(r.member()).setAlarm(r.type()).build());
            }
        }
        out.sort((a, b) -> Long.compareUnsigned(a.getMemberID(), b.getMemberID()));
        return out;
    }

    /** Raises an alarm (apply thread); returns whether it was new. Written in the caller's transaction. */
    boolean activate(WriteTx tx, long member, AlarmType type) {
        tx.put(BUCKET, key(member, type), new byte[0]);
        return raised.add(new Raised(member, type));
    }

    /** Clears an alarm (apply thread); returns whether it was raised. */
    boolean deactivate(WriteTx tx, long member, AlarmType type) {
        tx.delete(BUCKET, key(member, type));
        return raised.remove(new Raised(member, type));
    }

    Backend backend() {
        return backend;
    }

    private static byte[] key(long member, AlarmType type) {
        return ByteBuffer.allocate(12).putLong(member).putInt(type.getNumber()).array();
    }
}
