package kv.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long generated histories (thousands of operations in one partition), accepted as recorded and
 * rejected after the last read is made to return a value never written, which forces the search
 * through the whole history. Prints the time each check took; run with {@code -Plong}.
 *
 * <p>Crashes are rare here on purpose: each pending operation can be placed anywhere after its call,
 * so refuting a violation late in a partition costs up to twice as much per pending operation that
 * is still open there (the subsumption in the search removes much, not all, of that).
 */
@EnabledIfSystemProperty(named = "kv.long", matches = "true")
class LongHistoriesTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void registerOf3000Operations(long seed) {
        var history = GeneratedHistory.record(seed, 6, 3000, 0.001, GeneratedHistory.register(), GeneratedHistory::registerInput);
        checkBothWays("register", new RegisterModel(), history, op -> op.input() instanceof RegisterModel.Read,
                new RegisterModel.Value(Optional.of("never-written")));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void kvOf30000Operations(long seed) {
        var history = GeneratedHistory.record(seed, 10, 30_000, 0.0002, GeneratedHistory.kvStore(), GeneratedHistory::kvInput);
        checkBothWays("kv", new KvModel(), history, op -> op.input() instanceof KvModel.Get, new KvModel.Value(Optional.of("never-written")));
    }

    private static <S, I, O> void checkBothWays(String name, Model<S, I, O> model, List<Operation<I, O>> history,
            java.util.function.Predicate<Operation<I, O>> isRead, O impossible) {
        long start = System.nanoTime();
        assertEquals(Verdict.LINEARIZABLE, LinearizabilityChecker.check(model, history, TIMEOUT).verdict());
        long accepted = System.nanoTime();
        List<Operation<I, O>> mutated = new ArrayList<>(history);
        for (int i = mutated.size() - 1; i >= 0; i--) {
            Operation<I, O> op = mutated.get(i);
            if (!op.pending() && isRead.test(op)) {
                mutated.set(i, Operation.completed(op.clientId(), op.input(), op.callTime(), op.returnTime(), impossible));
                break;
            }
        }
        var result = LinearizabilityChecker.check(model, mutated, TIMEOUT);
        long rejected = System.nanoTime();
        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), result.explanation());
        long pending = history.stream().filter(Operation::pending).count();
        System.out.printf("%s: %d operations (%d pending): accepted in %d ms, mutated last read rejected in %d ms%n",
                name, history.size(), pending, (accepted - start) / 1_000_000, (rejected - accepted) / 1_000_000);
    }
}
