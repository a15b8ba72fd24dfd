package kv.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kv.lincheck.KvModel.Append;
import kv.lincheck.KvModel.Cas;
import kv.lincheck.KvModel.CasResult;
import kv.lincheck.KvModel.Delete;
import kv.lincheck.KvModel.Done;
import kv.lincheck.KvModel.Get;
import kv.lincheck.KvModel.Input;
import kv.lincheck.KvModel.Output;
import kv.lincheck.KvModel.Put;
import kv.lincheck.KvModel.Revision;
import kv.lincheck.KvModel.Value;
import org.junit.jupiter.api.Test;

/** Hand-made key-value histories, as kv's fault tests will record them. */
class KvModelTest {
    private static final KvModel MODEL = new KvModel();

    private static Operation<Input, Output> put(int client, long call, long ret, String key, String v, long revision) {
        return Operation.completed(client, new Put(key, v), call, ret, new Revision(revision));
    }

    private static Operation<Input, Output> get(int client, long call, long ret, String key, String v) {
        return Operation.completed(client, new Get(key), call, ret, new Value(Optional.ofNullable(v)));
    }

    private static Operation<Input, Output> delete(int client, long call, long ret, String key) {
        return Operation.completed(client, new Delete(key), call, ret, new Done());
    }

    private static Operation<Input, Output> append(int client, long call, long ret, String key, String v) {
        return Operation.completed(client, new Append(key, v), call, ret, new Done());
    }

    private static Operation<Input, Output> cas(int client, long call, long ret, String key, String expected, String v, boolean ok) {
        return Operation.completed(client, new Cas(key, Optional.ofNullable(expected), v), call, ret, new CasResult(ok));
    }

    private static Result<Input, Output> check(List<Operation<Input, Output>> history) {
        return LinearizabilityChecker.check(MODEL, history, Duration.ofSeconds(10));
    }

    @Test
    void keysAreCheckedIndependentlyAndTheFailingKeyIsReported() {
        var history = List.of(put(0, 0, 1, "a", "1", 2), put(1, 0, 1, "b", "1", 3), get(0, 2, 3, "a", "1"), get(1, 2, 3, "b", null));
        var result = check(history);
        var bad = assertInstanceOf(Result.NotLinearizable.class, result);
        assertEquals(1, bad.partition());
        assertEquals(List.of(history.get(1), history.get(3)), bad.history());
        assertTrue(bad.explanation().contains("get(b) -> <absent>"), bad.explanation());
        assertEquals(2, MODEL.partition(history).size());
    }

    @Test
    void concurrentPutsAndGetsOnSeveralKeysAreLinearizable() {
        var history = List.of(put(0, 0, 10, "a", "1", 2), put(1, 1, 9, "b", "2", 3), get(2, 2, 3, "a", null),
                get(3, 4, 5, "b", "2"), get(2, 6, 7, "a", "1"), get(3, 11, 12, "a", "1"));
        assertEquals(Verdict.LINEARIZABLE, check(history).verdict());
    }

    @Test
    void staleGetAfterACompletedPutIsNotLinearizable() {
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 2), put(0, 2, 3, "a", "2", 3), get(1, 4, 5, "a", "1"))).verdict());
    }

    @Test
    void putRevisionsOfAKeyIncreaseInLinearizationOrder() {
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 5), put(1, 2, 3, "a", "2", 3))).verdict());
        // Overlapping: the put with revision 3 goes first, so the final value is "1".
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(0, 0, 3, "a", "1", 5), put(1, 1, 2, "a", "2", 3), get(2, 4, 5, "a", "1"))).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(put(0, 0, 3, "a", "1", 5), put(1, 1, 2, "a", "2", 3), get(2, 4, 5, "a", "2"))).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 4), put(1, 2, 3, "a", "2", 4))).verdict(), "revisions are unique");
    }

    @Test
    void revisionsOfDifferentKeysAreUnrelated() {
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 5), put(1, 2, 3, "b", "2", 3))).verdict());
    }

    @Test
    void pendingPutMayTakeEffectLateWhileKnownRevisionsStillIncrease() {
        var pending = Operation.<Input, Output>pending(0, new Put("a", "1"), 2);
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(1, 0, 1, "a", "0", 7), pending, put(1, 3, 4, "a", "2", 9), get(1, 5, 6, "a", "2"))).verdict());
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(1, 0, 1, "a", "0", 7), pending, put(1, 3, 4, "a", "2", 9), get(1, 5, 6, "a", "1"))).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(put(1, 0, 1, "a", "0", 7), pending, put(1, 3, 4, "a", "2", 6))).verdict());
    }

    @Test
    void deleteMakesTheKeyAbsent() {
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 2), delete(0, 2, 3, "a"), get(1, 4, 5, "a", null))).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 2), delete(0, 2, 3, "a"), get(1, 4, 5, "a", "1"))).verdict());
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 2), delete(0, 2, 6, "a"), get(1, 4, 5, "a", "1"))).verdict());
    }

    @Test
    void deleteCountTellsWhetherTheKeyWasThere() {
        var deleteFound = Operation.<Input, Output>completed(0, new Delete("a"), 2, 3, new KvModel.Deleted(1));
        var deleteMissed = Operation.<Input, Output>completed(1, new Delete("a"), 4, 5, new KvModel.Deleted(0));
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 2), deleteFound, deleteMissed)).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(put(0, 0, 1, "a", "1", 2), deleteMissed)).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(deleteFound)).verdict());
        assertTrue(MODEL.readOnly(new Delete("a"), new KvModel.Deleted(0)));
        assertTrue(!MODEL.readOnly(new Delete("a"), new KvModel.Deleted(1)));
    }

    @Test
    void pendingDeleteMayOrMayNotHaveHappened() {
        var pending = Operation.<Input, Output>pending(0, new Delete("a"), 2);
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(1, 0, 1, "a", "1", 2), pending, get(1, 3, 4, "a", "1"), get(1, 5, 6, "a", null))).verdict());
        assertEquals(Verdict.LINEARIZABLE, check(List.of(put(1, 0, 1, "a", "1", 2), pending, get(1, 3, 4, "a", "1"))).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE,
                check(List.of(put(1, 0, 1, "a", "1", 2), pending, get(1, 3, 4, "a", null), get(1, 5, 6, "a", "1"))).verdict());
    }

    @Test
    void compareAndSetOnValueOrAbsence() {
        assertEquals(Verdict.LINEARIZABLE, check(List.of(cas(0, 0, 1, "a", null, "1", true), cas(1, 2, 3, "a", "1", "2", true), get(0, 4, 5, "a", "2"))).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(cas(0, 0, 1, "a", null, "1", true), cas(1, 2, 3, "a", null, "2", true))).verdict());
        assertEquals(Verdict.LINEARIZABLE, check(List.of(cas(0, 0, 10, "a", null, "1", true), cas(1, 0, 10, "a", null, "2", false))).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(cas(0, 0, 10, "a", null, "1", true), cas(1, 0, 10, "a", null, "2", true))).verdict(),
                "two creates of one key cannot both succeed");
    }

    @Test
    void appendConcatenatesInLinearizationOrder() {
        assertEquals(Verdict.LINEARIZABLE, check(List.of(append(0, 0, 10, "a", "x"), append(1, 0, 10, "a", "y"), get(2, 11, 12, "a", "yx"))).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, check(List.of(append(0, 0, 1, "a", "x"), append(1, 2, 3, "a", "y"), get(2, 4, 5, "a", "yx"))).verdict());
    }

    @Test
    void describesStatesAndOperations() {
        assertEquals("cas(k, <absent>, 1) -> succeeded", MODEL.describe(new Cas("k", Optional.empty(), "1"), new CasResult(true)));
        assertEquals("put(k, v) -> revision 7", MODEL.describe(new Put("k", "v"), new Revision(7)));
        assertEquals("\"v\" (latest put revision 7)", MODEL.describeState(new KvModel.KeyState(Optional.of("v"), 7)));
        assertEquals("<absent>", MODEL.describeState(MODEL.init()));
    }
}
