package kv.admin.restore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import kv.admin.clusterpb.Member;
import kv.admin.cluster.MemberRecords;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.BackendSnapshot;
import kv.backend.WriteTx;

/** Snapshot files as kvd's snapshot RPC streams them: the backend stream, zero padding to 4096, its SHA-256. */
final class SnapshotFiles {
    private SnapshotFiles() {}

    /** A snapshot of a jbolt store holding {@code keys} in bucket "key", an old member list and an old consistent index. */
    static Path write(Path scratch, Path file, Map<String, String> keys) throws Exception {
        try (Backend b = BackendLocator.builtIn().find("jbolt").open(BackendConfig.of(scratch))) {
            try (WriteTx tx = b.beginWrite()) {
                tx.createBucket("key");
                keys.forEach((k, v) -> tx.put("key", utf8(k), utf8(v)));
                MemberRecords.put(tx, Member.newBuilder().setId(42).setName("old").addPeerUrls("http://10.0.0.9:2380").build());
                MemberRecords.remove(tx, 43);
                tx.createBucket("meta");
                tx.put("meta", utf8("consistent_index"), new byte[] {0, 0, 0, 0, 0, 0, 3, (byte) 0xe8});
                tx.commit();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BackendSnapshot.write(b, out);
            int pad = (4096 - out.size() % 4096) % 4096;
            out.write(new byte[pad]);
            out.write(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
            Files.write(file, out.toByteArray());
            return file;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Flips one bit of {@code file} at {@code offset}. */
    static void flip(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 1;
        Files.write(file, b);
    }
}
