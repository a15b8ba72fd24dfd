package kv.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checker's contract apart from any one model: timeouts, partitions, explanations, inputs. */
class LinearizabilityCheckerTest {
    private static final RegisterModel REGISTER = new RegisterModel();
    private static final KvModel KV = new KvModel();

    /** {@code writers} writes of distinct values, all concurrent, then a get of a value none wrote: costly to refute. */
    private static List<Operation<KvModel.Input, KvModel.Output>> hardToRefute(String key, int writers) {
        List<Operation<KvModel.Input, KvModel.Output>> history = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            history.add(Operation.completed(w, new KvModel.Put(key, "v" + w), 0, 100, new KvModel.Revision(0)));
        }
        history.add(Operation.completed(writers, new KvModel.Get(key), 101, 102, new KvModel.Value(Optional.of("never"))));
        return history;
    }

    @Test
    void runningOutOfTimeGivesUnknown() {
        var result = LinearizabilityChecker.check(KV, hardToRefute("k", 22), Duration.ofMillis(200));
        var unknown = assertInstanceOf(Result.Unknown.class, result);
        assertEquals(Verdict.UNKNOWN, unknown.verdict());
        assertEquals(23, unknown.operations());
        assertTrue(unknown.explored() > 0);
        assertTrue(unknown.explanation().startsWith("unknown: timed out"), unknown.explanation());
    }

    @Test
    void anEasyViolationIsFoundWhileAHardPartitionIsStillBeingSearched() {
        List<Operation<KvModel.Input, KvModel.Output>> history = new ArrayList<>(hardToRefute("hard", 22));
        history.add(Operation.completed(0, new KvModel.Put("easy", "1"), 200, 201, new KvModel.Revision(0)));
        history.add(Operation.completed(1, new KvModel.Get("easy"), 202, 203, new KvModel.Value(Optional.empty())));
        var result = LinearizabilityChecker.check(KV, history, Duration.ofSeconds(60));
        var bad = assertInstanceOf(Result.NotLinearizable.class, result);
        assertEquals(1, bad.partition());
    }

    @Test
    void emptyAndAllPendingHistoriesAreLinearizable() {
        assertEquals(Verdict.LINEARIZABLE, LinearizabilityChecker.check(REGISTER, List.of(), Duration.ofSeconds(1)).verdict());
        var pending = List.of(Operation.<RegisterModel.Input, RegisterModel.Output>pending(0, new RegisterModel.Write("1"), 0),
                Operation.<RegisterModel.Input, RegisterModel.Output>pending(1, new RegisterModel.Cas("2", "3"), 1));
        var result = LinearizabilityChecker.check(REGISTER, pending, Duration.ofSeconds(1));
        assertEquals(new Result.Linearizable<>(1, 2), result);
    }

    @Test
    void explanationShowsTheEndOfALongPrefix() {
        List<Operation<RegisterModel.Input, RegisterModel.Output>> history = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            history.add(Operation.completed(0, new RegisterModel.Write(Integer.toString(i)), 2 * i, 2 * i + 1, new RegisterModel.Done()));
        }
        history.add(Operation.completed(1, new RegisterModel.Read(), 100, 101, new RegisterModel.Value(Optional.of("7"))));
        var bad = assertInstanceOf(Result.NotLinearizable.class, LinearizabilityChecker.check(REGISTER, history, Duration.ofSeconds(5)));
        assertEquals(50, bad.longestPrefix().size());
        assertEquals("49", bad.stateAfter());
        String text = bad.explanation();
        assertTrue(text.contains("50 operations, the first 20 not shown"), text);
        assertTrue(text.contains("50. client 0 [98, 99] write(49)"), text);
        assertTrue(!text.contains("write(19)\n"), text);
        assertTrue(text.contains("client 1 [100, 101] read() -> 7"), text);
    }

    @Test
    void rejectsANonPositiveTimeout() {
        assertThrows(IllegalArgumentException.class, () -> LinearizabilityChecker.check(REGISTER, List.of(), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> LinearizabilityChecker.check(REGISTER, List.of(), Duration.ofSeconds(-1)));
    }

    @Test
    void aHugeTimeoutIsFine() {
        assertEquals(Verdict.LINEARIZABLE, LinearizabilityChecker.check(REGISTER, List.of(), Duration.ofSeconds(Long.MAX_VALUE)).verdict());
    }

    @Test
    void operationsValidateThemselves() {
        var read = new RegisterModel.Read();
        var value = new RegisterModel.Value(Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> Operation.completed(0, read, 5, 4, value));
        assertThrows(IllegalArgumentException.class, () -> new Operation<>(0, read, 0, Operation.PENDING, value));
        assertThrows(IllegalArgumentException.class, () -> new Operation<RegisterModel.Input, RegisterModel.Output>(0, read, 0, 1, null));
        assertThrows(NullPointerException.class, () -> Operation.pending(0, null, 0));
        var pending = Operation.<RegisterModel.Input, RegisterModel.Output>pending(3, read, 7);
        assertTrue(pending.pending());
        assertEquals("client 3 [7, pending] Read[] -> ?", pending.toString());
    }
}
