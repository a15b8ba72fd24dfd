package kv.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every recorded history in {@code shared/data/linearizability} (Porcupine's test data:
 * Jepsen etcd register logs and key-value histories) and compares the verdict with the folder's
 * {@code EXPECTED.txt}.
 */
class RecordedHistoriesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger HISTORIES = new AtomicInteger();
    private static final AtomicLong OPERATIONS = new AtomicLong();
    private static final AtomicLong NANOS = new AtomicLong();

    static Stream<Arguments> jepsenEtcd() throws IOException {
        return RecordedHistories.expected("jepsen-etcd").stream().map(e -> Arguments.of(e.file().getFileName().toString(), e));
    }

    static Stream<Arguments> kv() throws IOException {
        return RecordedHistories.expected("kv").stream().map(e -> Arguments.of(e.file().getFileName().toString(), e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jepsenEtcd")
    void jepsenEtcdRegister(String name, RecordedHistories.Expected expected) throws IOException {
        var history = JepsenRegisterLog.read(expected.file());
        assertVerdict(expected, new RegisterModel(), history);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kv")
    void keyValue(String name, RecordedHistories.Expected expected) throws IOException {
        var history = EdnKvLog.read(expected.file());
        assertVerdict(expected, new KvModel(), history);
    }

    private static <S, I, O> void assertVerdict(RecordedHistories.Expected expected, Model<S, I, O> model, List<Operation<I, O>> history) {
        assertFalse(history.isEmpty(), expected.file() + " holds no operation");
        long start = System.nanoTime();
        Result<I, O> result = LinearizabilityChecker.check(model, history, TIMEOUT);
        NANOS.addAndGet(System.nanoTime() - start);
        HISTORIES.incrementAndGet();
        OPERATIONS.addAndGet(history.size());
        assertEquals(expected.verdict(), result.verdict(), expected.file() + ": " + result.explanation());
        if (result instanceof Result.NotLinearizable<I, O> bad) {
            assertCounterexampleHolds(model, bad);
        }
    }

    /** Replays the prefix through the model: it must be legal, and every unplaced operation illegal after it. */
    private static <S, I, O> void assertCounterexampleHolds(Model<S, I, O> model, Result.NotLinearizable<I, O> bad) {
        assertFalse(bad.unplaced().isEmpty(), "a counterexample names the operations it could not place");
        assertTrue(bad.explanation().contains("longest linearizable prefix"), bad.explanation());
        S state = model.init();
        for (Operation<I, O> op : bad.longestPrefix()) {
            var after = op.pending() ? model.stepUnobserved(state, op.input()) : model.step(state, op.input(), op.output());
            assertTrue(after.isPresent(), "prefix step " + op + " is legal");
            state = after.get();
        }
        assertEquals(bad.stateAfter(), model.describeState(state));
        for (Operation<I, O> op : bad.unplaced()) {
            assertTrue(model.step(state, op.input(), op.output()).isEmpty(), op + " is illegal after the prefix");
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("checked %d recorded histories, %d operations, in %d ms%n",
                HISTORIES.get(), OPERATIONS.get(), NANOS.get() / 1_000_000);
    }
}
