package kv.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kv.lincheck.RegisterModel.Cas;
import kv.lincheck.RegisterModel.CasResult;
import kv.lincheck.RegisterModel.Done;
import kv.lincheck.RegisterModel.Input;
import kv.lincheck.RegisterModel.Output;
import kv.lincheck.RegisterModel.Read;
import kv.lincheck.RegisterModel.Value;
import kv.lincheck.RegisterModel.Write;
import org.junit.jupiter.api.Test;

/** Hand-made register histories: each states the one fact about linearizability it checks. */
class RegisterModelTest {
    private static final RegisterModel MODEL = new RegisterModel();

    private static Operation<Input, Output> write(int client, long call, long ret, String v) {
        return Operation.completed(client, new Write(v), call, ret, new Done());
    }

    private static Operation<Input, Output> read(int client, long call, long ret, String v) {
        return Operation.completed(client, new Read(), call, ret, new Value(Optional.ofNullable(v)));
    }

    private static Operation<Input, Output> cas(int client, long call, long ret, String expected, String v, boolean ok) {
        return Operation.completed(client, new Cas(expected, v), call, ret, new CasResult(ok));
    }

    private static Operation<Input, Output> pendingWrite(int client, long call, String v) {
        return Operation.pending(client, new Write(v), call);
    }

    private static Verdict verdict(List<Operation<Input, Output>> history) {
        return LinearizabilityChecker.check(MODEL, history, Duration.ofSeconds(10)).verdict();
    }

    @Test
    void readOverlappingWriteMaySeeEitherValue() {
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(write(0, 0, 10, "1"), read(1, 2, 5, "1"))));
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(write(0, 0, 10, "1"), read(1, 2, 5, null))));
    }

    @Test
    void readsDuringAWriteMaySeeNewThenOldOnlyIfTheyOverlap() {
        var w1 = write(0, 0, 1, "1");
        var w2 = write(0, 2, 10, "2");
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(w1, w2, read(1, 3, 6, "2"), read(2, 4, 5, "1"))));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(w1, w2, read(1, 3, 4, "2"), read(2, 5, 6, "1"))));
    }

    @Test
    void staleReadAfterACompletedWriteIsNotLinearizable() {
        var history = List.of(write(0, 0, 1, "1"), read(1, 2, 3, null));
        var result = LinearizabilityChecker.check(MODEL, history, Duration.ofSeconds(10));
        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        var bad = (Result.NotLinearizable<Input, Output>) result;
        assertEquals(List.of(history.get(0)), bad.longestPrefix());
        assertEquals(List.of(history.get(1)), bad.unplaced());
        assertEquals("1", bad.stateAfter());
        assertTrue(bad.explanation().contains("read() -> nil"), bad.explanation());
    }

    @Test
    void readsMustFollowRealTimeOrderOfWrites() {
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(write(0, 0, 1, "1"), write(1, 2, 3, "2"), read(2, 4, 5, "1"))));
    }

    @Test
    void aValueOnceSeenCannotBeUnseenByALaterRead() {
        var w = write(0, 0, 100, "1");
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(w, read(1, 1, 2, "1"), read(2, 3, 4, null))));
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(w, read(1, 1, 2, null), read(2, 3, 4, "1"))));
    }

    @Test
    void eventsAtTheSameTimeAreConcurrent() {
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(write(0, 0, 5, "1"), read(1, 5, 6, null))));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(write(0, 0, 5, "1"), read(1, 6, 7, null))));
    }

    @Test
    void pendingWriteMayTakeEffectLate() {
        // The write's client crashed; its effect shows up long after.
        var history = List.of(pendingWrite(0, 0, "1"), read(1, 10, 11, null), read(2, 20, 21, "1"));
        assertEquals(Verdict.LINEARIZABLE, verdict(history));
    }

    @Test
    void pendingWriteMayNeverTakeEffect() {
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(pendingWrite(0, 0, "1"), read(1, 10, 11, null), read(2, 20, 21, null))));
    }

    @Test
    void pendingWriteCannotTakeEffectBeforeItsCall() {
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(read(1, 0, 1, "1"), pendingWrite(0, 5, "1"))));
    }

    @Test
    void pendingWriteTakesEffectAtMostOnce() {
        var history = List.of(write(0, 0, 1, "0"), pendingWrite(1, 2, "1"), read(2, 3, 4, "1"), write(0, 5, 6, "2"), read(2, 7, 8, "1"));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(history));
    }

    @Test
    void compareAndSetSucceedsOnlyOnTheExpectedValue() {
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(write(0, 0, 1, "1"), cas(1, 2, 3, "1", "2", true), read(0, 4, 5, "2"))));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(write(0, 0, 1, "1"), cas(1, 2, 3, "0", "2", true))));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(write(0, 0, 1, "1"), cas(1, 2, 3, "1", "2", false))));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(cas(1, 0, 1, "1", "2", true))), "nothing to compare against");
    }

    @Test
    void twoConcurrentCompareAndSetsFromTheSameValueCannotBothSucceed() {
        var w = write(0, 0, 1, "0");
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(List.of(w, cas(1, 2, 10, "0", "1", true), cas(2, 2, 10, "0", "2", true))));
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(w, cas(1, 2, 10, "0", "1", true), cas(2, 2, 10, "0", "2", false))));
        assertEquals(Verdict.LINEARIZABLE, verdict(List.of(w, cas(1, 2, 10, "0", "1", true), cas(2, 2, 10, "1", "2", true))));
    }

    @Test
    void writingTheCurrentValueIsNotAReadOnlyOperation() {
        // w2 rewrites "0" after w(4) (the only order that explains the last read); the checker must not
        // commit to w2 early just because it changes nothing at that moment.
        var history = List.of(write(1, 0, 3, "0"), write(2, 2, 10, "0"), read(1, 4, 13, "0"), write(0, 5, 7, "4"), read(0, 8, 14, "0"));
        assertEquals(Verdict.LINEARIZABLE, verdict(history));
    }

    @Test
    void readOnlyOperationsAreReadsAndFailedCompareAndSets() {
        assertTrue(MODEL.readOnly(new Read(), new Value(Optional.empty())));
        assertTrue(MODEL.readOnly(new Cas("1", "2"), new CasResult(false)));
        assertTrue(!MODEL.readOnly(new Cas("1", "2"), new CasResult(true)));
        assertTrue(!MODEL.readOnly(new Write("1"), new Done()));
    }

    @Test
    void anOutputThatDoesNotAnswerTheInputIsAnError() {
        var history = List.of(Operation.<Input, Output>completed(0, new Read(), 0, 1, new Done()));
        assertThrows(IllegalArgumentException.class, () -> verdict(history));
    }

    @Test
    void describesOperationsForExplanations() {
        assertEquals("cas(1, 2) -> fail", MODEL.describe(new Cas("1", "2"), new CasResult(false)));
        assertEquals("read() -> nil", MODEL.describe(new Read(), new Value(Optional.empty())));
        assertEquals("write(3) -> ?", MODEL.describe(new Write("3"), null));
    }
}
