package kv.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Histories recorded from real sequential objects under random concurrency and crashes are
 * linearizable by construction and must be accepted; making one read return a value nobody wrote
 * must be rejected; and on small histories with arbitrary corruptions the checker must agree with
 * a brute-force search.
 */
class GeneratedHistoryPropertyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String NEVER_WRITTEN = "never-written";

    private static List<Operation<RegisterModel.Input, RegisterModel.Output>> registerHistory(long seed, int clients, int operations, double crash) {
        return GeneratedHistory.record(seed, clients, operations, crash, GeneratedHistory.register(), GeneratedHistory::registerInput);
    }

    private static List<Operation<KvModel.Input, KvModel.Output>> kvHistory(long seed, int clients, int operations, double crash) {
        return GeneratedHistory.record(seed, clients, operations, crash, GeneratedHistory.kvStore(), GeneratedHistory::kvInput);
    }

    @Property(tries = 100)
    void recordedRegisterHistoriesAreLinearizable(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int clients,
            @ForAll @IntRange(min = 1, max = 400) int operations) {
        var history = registerHistory(seed, clients, operations, 0.02);
        assertEquals(Verdict.LINEARIZABLE, LinearizabilityChecker.check(new RegisterModel(), history, TIMEOUT).verdict());
    }

    @Property(tries = 100)
    void recordedKvHistoriesAreLinearizable(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int clients,
            @ForAll @IntRange(min = 1, max = 600) int operations) {
        var history = kvHistory(seed, clients, operations, 0.02);
        assertEquals(Verdict.LINEARIZABLE, LinearizabilityChecker.check(new KvModel(), history, TIMEOUT).verdict());
    }

    @Property(tries = 40)
    void aRegisterReadOfAValueNeverWrittenIsRejected(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int clients,
            @ForAll @IntRange(min = 1, max = 200) int operations, @ForAll @IntRange(min = 0, max = 1000) int pick) {
        var history = new ArrayList<>(registerHistory(seed, clients, operations, 0.01));
        history.add(Operation.completed(0, new RegisterModel.Read(), Long.MAX_VALUE - 2, Long.MAX_VALUE - 1,
                new RegisterModel.Value(Optional.of("0"))));
        int read = nthCompleted(history, pick, op -> op.input() instanceof RegisterModel.Read);
        var op = history.get(read);
        history.set(read, Operation.completed(op.clientId(), op.input(), op.callTime(), op.returnTime(),
                new RegisterModel.Value(Optional.of(NEVER_WRITTEN))));
        assertEquals(Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(new RegisterModel(), history, TIMEOUT).verdict());
    }

    @Property(tries = 40)
    void aKvGetOfAValueNeverWrittenIsRejected(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int clients,
            @ForAll @IntRange(min = 1, max = 400) int operations, @ForAll @IntRange(min = 0, max = 1000) int pick) {
        var history = new ArrayList<>(kvHistory(seed, clients, operations, 0.01));
        history.add(Operation.completed(0, new KvModel.Get("k0"), Long.MAX_VALUE - 2, Long.MAX_VALUE - 1,
                new KvModel.Value(Optional.empty())));
        int get = nthCompleted(history, pick, op -> op.input() instanceof KvModel.Get);
        var op = history.get(get);
        history.set(get, Operation.completed(op.clientId(), op.input(), op.callTime(), op.returnTime(),
                new KvModel.Value(Optional.of(NEVER_WRITTEN))));
        assertEquals(Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(new KvModel(), history, TIMEOUT).verdict());
    }

    /** The index of the {@code pick}-th (modulo their number) completed operation that {@code matches}. */
    private static <I, O> int nthCompleted(List<Operation<I, O>> history, int pick, java.util.function.Predicate<Operation<I, O>> matches) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            if (!history.get(i).pending() && matches.test(history.get(i))) {
                indexes.add(i);
            }
        }
        return indexes.get(pick % indexes.size());
    }

    @Property(tries = 1000)
    void agreesWithBruteForceOnSmallCorruptedRegisterHistories(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int clients,
            @ForAll @IntRange(min = 1, max = 7) int operations) {
        var history = corrupt(registerHistory(seed, clients, operations, 0.2), new Random(seed), (op, random) -> switch (op.input()) {
            case RegisterModel.Read r -> new RegisterModel.Value(random.nextBoolean() ? Optional.empty() : Optional.of(Integer.toString(random.nextInt(5))));
            case RegisterModel.Write w -> new RegisterModel.Done();
            case RegisterModel.Cas c -> new RegisterModel.CasResult(random.nextBoolean());
        });
        var model = new RegisterModel();
        Verdict expected = BruteForce.linearizable(model, history) ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
        assertEquals(expected, LinearizabilityChecker.check(model, history, TIMEOUT).verdict(), history.toString());
        coverBothVerdicts(expected);
    }

    @Property(tries = 1000)
    void agreesWithBruteForceOnSmallCorruptedKvHistories(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int clients,
            @ForAll @IntRange(min = 1, max = 8) int operations) {
        var history = corrupt(kvHistory(seed, clients, operations, 0.2), new Random(seed), (op, random) -> switch (op.input()) {
            case KvModel.Get g -> new KvModel.Value(random.nextBoolean() ? Optional.empty() : Optional.of(Integer.toString(random.nextInt(4))));
            case KvModel.Put p -> new KvModel.Revision(random.nextInt(4));
            case KvModel.Append a -> new KvModel.Done();
            case KvModel.Delete d -> random.nextBoolean() ? new KvModel.Done() : new KvModel.Deleted(random.nextInt(2));
            case KvModel.Cas c -> new KvModel.CasResult(random.nextBoolean());
        });
        var model = new KvModel();
        Verdict expected = BruteForce.linearizable(model, history) ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
        assertEquals(expected, LinearizabilityChecker.check(model, history, TIMEOUT).verdict(), history.toString());
        coverBothVerdicts(expected);
    }

    /** The comparison means something only if both verdicts come up often. */
    private static void coverBothVerdicts(Verdict expected) {
        Statistics.collect(expected);
        Statistics.coverage(checker -> {
            checker.check(Verdict.LINEARIZABLE).percentage(p -> p > 15);
            checker.check(Verdict.NOT_LINEARIZABLE).percentage(p -> p > 15);
        });
    }

    /** Replaces the output of about one completed operation in three with an arbitrary one of the right kind. */
    private static <I, O> List<Operation<I, O>> corrupt(List<Operation<I, O>> history, Random random,
            java.util.function.BiFunction<Operation<I, O>, Random, O> arbitraryOutput) {
        List<Operation<I, O>> corrupted = new ArrayList<>();
        for (Operation<I, O> op : history) {
            if (!op.pending() && random.nextInt(3) == 0) {
                op = Operation.completed(op.clientId(), op.input(), op.callTime(), op.returnTime(), arbitraryOutput.apply(op, random));
            }
            corrupted.add(op);
        }
        return corrupted;
    }
}
