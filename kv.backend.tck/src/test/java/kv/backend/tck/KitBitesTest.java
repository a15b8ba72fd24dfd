package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.backend.spi.BackendProvider;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit fails engines that break the contract: each broken variant of the test engine runs the
 * contract tests that should catch its flaw (through the JUnit Platform launcher, as a build would)
 * and must fail exactly those, while passing a control test that its flaw does not touch.
 */
class KitBitesTest {
    /** Runs the named contract tests of {@code kit}; returns test name to whether it passed. */
    private static Map<String, Boolean> run(Class<? extends BackendContract> kit, String... tests) {
        List<MethodSelector> selectors = new ArrayList<>();
        for (String t : tests) {
            selectors.add(selectMethod(kit, t));
        }
        Map<String, Boolean> outcome = new TreeMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    String name = id.getDisplayName().replace("()", "");
                    outcome.put(name, result.getStatus() == TestExecutionResult.Status.SUCCESSFUL);
                    result.getThrowable().ifPresent(t -> System.out.println(
                            kit.getSimpleName() + "." + name + " failed as expected: " + t.toString().lines().findFirst().orElse("")));
                }
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors).build(), listener);
        return outcome;
    }

    private static void assertOutcome(Class<? extends BackendContract> kit, List<String> mustFail, List<String> mustPass) {
        List<String> all = new ArrayList<>(mustFail);
        all.addAll(mustPass);
        Map<String, Boolean> expected = new TreeMap<>();
        mustFail.forEach(t -> expected.put(t, false));
        mustPass.forEach(t -> expected.put(t, true));
        assertEquals(expected, run(kit, all.toArray(String[]::new)), kit.getSimpleName() + ": test name -> passed");
    }

    @Test
    void signedKeyOrderIsCaught() {
        assertOutcome(SignedOrderKit.class,
                List.of("unsignedByteOrderForwardAndBackward", "seekLandsOnTheSmallestKeyNotBelow", "randomOperationsMatchTheModel"),
                List.of("emptyKeyIsRejectedEmptyValueIsKept"));
    }

    @Test
    void uncommittedWritesVisibleToReadersAreCaught() {
        assertOutcome(LeakyWritesKit.class,
                List.of("writeTransactionReadsItsOwnWrites", "randomOperationsMatchTheModel", "readersAlwaysSeeWholeTransfersWhileTheWriterCommits"),
                List.of("unsignedByteOrderForwardAndBackward"));
    }

    @Test
    void syncCommitsThatAreNotDurableAreCaught() {
        assertOutcome(LazySyncKit.class,
                List.of("acknowledgedSyncCommitsSurviveSigkill"),
                List.of("noSyncCommitsAreAtomicAndKeptByACleanClose"));
    }

    @Test
    void commitsThatACrashCanTearAreCaught() {
        assertOutcome(TornCommitKit.class,
                List.of("acknowledgedSyncCommitsSurviveSigkill"),
                List.of("randomOperationsMatchTheModel"));
    }

    static class SignedOrderKit extends BackendContract {
        @Override
        protected BackendProvider provider() {
            return new LogBackendProvider.SignedOrder();
        }
    }

    static class LeakyWritesKit extends BackendContract {
        @Override
        protected BackendProvider provider() {
            return new LogBackendProvider.LeakyWrites();
        }
    }

    static class LazySyncKit extends BackendContract {
        @Override
        protected BackendProvider provider() {
            return new LogBackendProvider.LazySync();
        }
    }

    static class TornCommitKit extends BackendContract {
        @Override
        protected BackendProvider provider() {
            return new LogBackendProvider.TornCommit();
        }
    }
}
