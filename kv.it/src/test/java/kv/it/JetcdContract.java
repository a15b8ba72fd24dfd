package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kv.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The jetcd Java client against a server: the same tests against real etcd and against kvd. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JetcdContract {
    private TestServer server;
    private Client client;

    abstract TestServer startServer(Path dir) throws IOException;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = startServer(dir);
        client = Client.builder().endpoints("http://" + server.endpoint()).build();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Test
    void putGetDelete() throws Exception {
        long rev = client.getKVClient().put(b("j/k"), b("v1")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
        List<KeyValue> kvs = client.getKVClient().get(b("j/k")).get(10, TimeUnit.SECONDS).getKvs();
        assertEquals(1, kvs.size());
        assertEquals("v1", kvs.getFirst().getValue().toString(StandardCharsets.UTF_8));
        assertEquals(rev, kvs.getFirst().getCreateRevision());
        assertEquals(1, client.getKVClient().delete(b("j/k")).get(10, TimeUnit.SECONDS).getDeleted());
        assertEquals(0, client.getKVClient().get(b("j/k")).get(10, TimeUnit.SECONDS).getCount());
    }

    @Test
    void txnCompareAndSet() throws Exception {
        client.getKVClient().put(b("j/cas"), b("a")).get(10, TimeUnit.SECONDS);
        TxnResponse ok = client.getKVClient().txn().If(new Cmp(b("j/cas"), Cmp.Op.EQUAL, CmpTarget.value(b("a"))))
                .Then(Op.put(b("j/cas"), b("b"), PutOption.DEFAULT)).Else(Op.get(b("j/cas"), GetOption.DEFAULT)).commit().get(10, TimeUnit.SECONDS);
        assertTrue(ok.isSucceeded());
        TxnResponse no = client.getKVClient().txn().If(new Cmp(b("j/cas"), Cmp.Op.EQUAL, CmpTarget.value(b("a"))))
                .Then(Op.put(b("j/cas"), b("c"), PutOption.DEFAULT)).Else(Op.get(b("j/cas"), GetOption.DEFAULT)).commit().get(10, TimeUnit.SECONDS);
        assertFalse(no.isSucceeded());
        assertEquals("b", no.getGetResponses().getFirst().getKvs().getFirst().getValue().toString(StandardCharsets.UTF_8));
    }

    @Test
    void watchResumesFromARevision() throws Exception {
        client.getKVClient().put(b("j/w/1"), b("a")).get(10, TimeUnit.SECONDS);
        long second = client.getKVClient().put(b("j/w/2"), b("b")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
        client.getKVClient().put(b("j/w/3"), b("c")).get(10, TimeUnit.SECONDS);
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        WatchOption opt = WatchOption.builder().isPrefix(true).withRevision(second).build();
        try (Watch.Watcher w = client.getWatchClient().watch(b("j/w/"), opt, r -> seen.addAll(r.getEvents()))) {
            client.getKVClient().put(b("j/w/4"), b("d")).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (seen.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertEquals(List.of("j/w/2", "j/w/3", "j/w/4"), seen.stream().map(e -> e.getKeyValue().getKey().toString(StandardCharsets.UTF_8)).toList());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).getKeyValue().getModRevision() > seen.get(i - 1).getKeyValue().getModRevision(), "events in revision order");
        }
    }

    @Test
    void leaseKeepAliveHoldsAndExpiryDeletes() throws Exception {
        long id = client.getLeaseClient().grant(2).get(10, TimeUnit.SECONDS).getID();
        client.getKVClient().put(b("j/lease"), b("v"), PutOption.builder().withLeaseId(id).build()).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        var keepAlive = client.getLeaseClient().keepAlive(id, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {}

            @Override
            public void onError(Throwable t) {
                closed.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                closed.complete(null);
            }
        });
        Thread.sleep(4000);
        assertEquals(1, client.getKVClient().get(b("j/lease")).get(10, TimeUnit.SECONDS).getCount(), "kept alive past its TTL");
        keepAlive.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (client.getKVClient().get(b("j/lease")).get(10, TimeUnit.SECONDS).getCount() != 0) {
            assertTrue(System.nanoTime() < deadline, "the key outlived its lease by 15 s");
            Thread.sleep(250);
        }
    }

    @Test
    void lockIsExclusive() throws Exception {
        long l1 = client.getLeaseClient().grant(30).get(10, TimeUnit.SECONDS).getID();
        long l2 = client.getLeaseClient().grant(30).get(10, TimeUnit.SECONDS).getID();
        ByteSequence k1 = client.getLockClient().lock(b("j/mutex"), l1).get(10, TimeUnit.SECONDS).getKey();
        CompletableFuture<ByteSequence> second = client.getLockClient().lock(b("j/mutex"), l2).thenApply(r -> r.getKey());
        Thread.sleep(1000);
        assertFalse(second.isDone(), "a second holder got the lock while the first held it");
        client.getLockClient().unlock(k1).get(10, TimeUnit.SECONDS);
        ByteSequence k2 = second.get(15, TimeUnit.SECONDS);
        assertTrue(k2.toString(StandardCharsets.UTF_8).startsWith("j/mutex/"));
        client.getLockClient().unlock(k2).get(10, TimeUnit.SECONDS);
    }

    @Test
    void electionCampaignLeaderProclaimResign() throws Exception {
        long lease = client.getLeaseClient().grant(30).get(10, TimeUnit.SECONDS).getID();
        LeaderKey me = client.getElectionClient().campaign(b("j/election"), lease, b("first")).get(10, TimeUnit.SECONDS).getLeader();
        assertEquals("first", client.getElectionClient().leader(b("j/election")).get(10, TimeUnit.SECONDS).getKv().getValue().toString(StandardCharsets.UTF_8));
        client.getElectionClient().proclaim(me, b("second")).get(10, TimeUnit.SECONDS);
        assertEquals("second", client.getElectionClient().leader(b("j/election")).get(10, TimeUnit.SECONDS).getKv().getValue().toString(StandardCharsets.UTF_8));
        client.getElectionClient().resign(me).get(10, TimeUnit.SECONDS);
        assertEquals(0, client.getKVClient().get(b("j/election/"), GetOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS).getCount());
    }

    @Test
    void maintenanceStatusHashAndDefragment() throws Exception {
        var status = client.getMaintenanceClient().statusMember("http://" + server.endpoint()).get(10, TimeUnit.SECONDS);
        assertTrue(status.getDbSize() > 0);
        assertEquals(status.getHeader().getMemberId(), status.getLeader());
        long rev = client.getKVClient().put(b("j/hash"), b("v")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
        var h1 = client.getMaintenanceClient().hashKV("http://" + server.endpoint(), rev).get(10, TimeUnit.SECONDS);
        var h2 = client.getMaintenanceClient().hashKV("http://" + server.endpoint(), rev).get(10, TimeUnit.SECONDS);
        assertEquals(h1.getHash(), h2.getHash(), "HashKV at a fixed revision is stable");
        client.getMaintenanceClient().defragmentMember("http://" + server.endpoint()).get(30, TimeUnit.SECONDS);
    }
}
