package kv.admin.restore;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The flag checks of etcd's bootstrap, with the messages etcdctl 3.4 prints (seen against /usr/bin/etcdctl). */
class RestoreSpecTest {
    private static RestoreSpec spec(String name, String cluster, String peers) {
        return RestoreSpec.fromFlags(Path.of("s.db"), "", "", name, cluster, RestoreSpec.DEFAULT_TOKEN, peers, false, "jbolt");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        x       | default=http://localhost:2380                   | http://localhost:2380          | couldn't find local name "x" in the initial cluster configuration
        default | default=http://localhost:2380                   | http://127.0.0.1:9             | --initial-cluster has default=http://localhost:2380 but missing from --initial-advertise-peer-urls=http://127.0.0.1:9 (resolved urls: "http://127.0.0.1:9" != "http://localhost:2380")
        default | default=http://localhost:2380,b=http://h:1      | http://localhost:2380,http://z:3 | --initial-advertise-peer-urls has http://z:3 but missing from --initial-cluster=default=http://localhost:2380,default=http://z:3
        default | default=ftp://x                                 | http://localhost:2380          | URL scheme must be http, https, unix, or unixs: ftp://x
        default | default=http://x:1,b=http://x:1                | http://x:1                     | initial cluster b=http://x:1,default=http://x:1 has duplicate url
        default | default=http://x                                | http://x                       | URL address does not have the form "host:port": http://x
        default | default=http://x:1/p                            | http://x:1/p                   | URL must not contain a path: http://x:1/p
        """)
    void refusesAsEtcdDoes(String name, String cluster, String peers, String message) {
        var e = assertThrows(RestoreException.class, () -> spec(name, cluster, peers));
        assertEquals(message, e.getMessage());
    }

    @Test
    void defaultsAreEtcdctls() {
        RestoreSpec s = spec(RestoreSpec.DEFAULT_NAME, RestoreSpec.DEFAULT_INITIAL_CLUSTER, RestoreSpec.DEFAULT_PEER_URLS);
        assertEquals(Path.of("default.etcd"), s.dataDir().root());
        assertEquals(Path.of("default.etcd", "member", "wal"), s.walDir());
        assertFalse(s.separateWalDir());
        assertEquals("8e9e05c52164694d", Long.toHexString(s.memberId()));
    }

    @Test
    void aNameMayHaveSeveralUrlsInAnyOrder() {
        RestoreSpec s = spec("a", "a=http://h:2,a=http://h:1,b=http://g:1", "http://h:1,http://h:2");
        assertEquals(2, s.initialCluster().get("a").size());
        assertEquals(2, s.memberIds().size());
    }
}
