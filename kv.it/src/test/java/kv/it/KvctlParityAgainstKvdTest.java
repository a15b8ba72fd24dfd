package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import kv.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * kv.cli's parity suite (real etcdctl and kvctl, side by side, every output format) and its
 * bad-input suite, pointed at a kvd process instead of etcd: the same commands must print the same
 * bytes and exit codes against kvd. In kv.cli's own build they run against real etcd.
 */
class KvctlParityAgainstKvdTest {
    @Test
    void etcdctlAndKvctlAgreeAgainstKvd(@TempDir Path dir) throws Exception {
        TestServer kvd = TestServer.start(TestServer.Kind.KVD, dir, "--backend", System.getProperty("kv.it.backend", "jbolt"));
        String before = System.getProperty("kv.cli.endpoint");
        System.setProperty("kv.cli.endpoint", kvd.endpoint());
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass("kv.cli.EtcdctlParityTest"), selectClass("kv.cli.BadInputTest")).build();
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            TestExecutionSummary summary = listener.getSummary();
            StringWriter report = new StringWriter();
            summary.printFailuresTo(new PrintWriter(report), 20);
            System.out.printf("kvctl/etcdctl parity against kvd: %d run, %d passed, %d failed, %d skipped%n",
                    summary.getTestsStartedCount(), summary.getTestsSucceededCount(), summary.getTotalFailureCount(),
                    summary.getTestsSkippedCount());
            assertEquals(0, summary.getTotalFailureCount(), report.toString());
            assertTrue(summary.getTestsSucceededCount() > 150, "the suites ran too few tests: " + summary.getTestsSucceededCount());
        } finally {
            if (before == null) {
                System.clearProperty("kv.cli.endpoint");
            } else {
                System.setProperty("kv.cli.endpoint", before);
            }
            kvd.close();
        }
    }
}
