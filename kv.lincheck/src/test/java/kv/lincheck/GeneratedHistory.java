package kv.lincheck;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Records a history by running concurrent simulated clients against a real sequential object
 * (not the checker's model): each operation is applied to the object at one instant between its
 * call and its return, so the history is linearizable by construction. Some clients crash after
 * calling, before or after their operation took effect; those operations are pending.
 */
final class GeneratedHistory<I, O> {
    /** A real sequential object: applies an input, returns its output. */
    interface Sut<I, O> {
        O apply(I input);
    }

    private enum Phase { IDLE, CALLED, APPLIED }

    private static final class Client<I, O> {
        int id;
        Phase phase = Phase.IDLE;
        I input;
        long callTime;
        O output;
    }

    private final Random random;
    private final Sut<I, O> sut;
    private final Function<Random, I> inputs;
    private final double crashChance;
    private final List<Operation<I, O>> history = new ArrayList<>();
    private long time;
    private int nextClientId;

    private GeneratedHistory(long seed, Sut<I, O> sut, Function<Random, I> inputs, double crashChance) {
        this.random = new Random(seed);
        this.sut = sut;
        this.inputs = inputs;
        this.crashChance = crashChance;
    }

    /** A history of about {@code operations} operations by {@code clients} concurrent clients. */
    static <I, O> List<Operation<I, O>> record(long seed, int clients, int operations, double crashChance,
            Sut<I, O> sut, Function<Random, I> inputs) {
        return new GeneratedHistory<>(seed, sut, inputs, crashChance).run(clients, operations);
    }

    private List<Operation<I, O>> run(int clientCount, int operations) {
        List<Client<I, O>> clients = new ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
            Client<I, O> client = new Client<>();
            client.id = nextClientId++;
            clients.add(client);
        }
        int issued = 0;
        while (issued < operations || clients.stream().anyMatch(c -> c.phase != Phase.IDLE)) {
            Client<I, O> c = clients.get(random.nextInt(clientCount));
            switch (c.phase) {
                case IDLE -> {
                    if (issued < operations) {
                        c.input = inputs.apply(random);
                        c.callTime = time++;
                        c.phase = Phase.CALLED;
                        issued++;
                    }
                }
                case CALLED -> {
                    if (random.nextDouble() < crashChance) {
                        crash(c);
                    } else {
                        c.output = sut.apply(c.input);
                        time++;
                        c.phase = Phase.APPLIED;
                    }
                }
                case APPLIED -> {
                    if (random.nextDouble() < crashChance) {
                        crash(c);
                    } else {
                        history.add(Operation.completed(c.id, c.input, c.callTime, time++, c.output));
                        c.phase = Phase.IDLE;
                    }
                }
            }
        }
        return history;
    }

    /** The client never hears back; like a Jepsen process after :info, it comes back under a new id. */
    private void crash(Client<I, O> c) {
        history.add(Operation.pending(c.id, c.input, c.callTime));
        c.id = nextClientId++;
        c.phase = Phase.IDLE;
    }

    /** A plain register. */
    static Sut<RegisterModel.Input, RegisterModel.Output> register() {
        String[] value = {null};
        return input -> switch (input) {
            case RegisterModel.Read r -> new RegisterModel.Value(Optional.ofNullable(value[0]));
            case RegisterModel.Write(String v) -> {
                value[0] = v;
                yield new RegisterModel.Done();
            }
            case RegisterModel.Cas(String expected, String v) -> {
                boolean ok = expected.equals(value[0]);
                if (ok) {
                    value[0] = v;
                }
                yield new RegisterModel.CasResult(ok);
            }
        };
    }

    /** Register operations over a few values, so that compare-and-sets sometimes succeed. */
    static RegisterModel.Input registerInput(Random random) {
        String v = Integer.toString(random.nextInt(5));
        return switch (random.nextInt(3)) {
            case 0 -> new RegisterModel.Read();
            case 1 -> new RegisterModel.Write(v);
            default -> new RegisterModel.Cas(v, Integer.toString(random.nextInt(5)));
        };
    }

    /** A hash map with one revision counter for all keys, as etcd has. */
    static Sut<KvModel.Input, KvModel.Output> kvStore() {
        Map<String, String> map = new HashMap<>();
        long[] revision = {1};
        return input -> switch (input) {
            case KvModel.Get(String key) -> new KvModel.Value(Optional.ofNullable(map.get(key)));
            case KvModel.Put(String key, String value) -> {
                map.put(key, value);
                yield new KvModel.Revision(++revision[0]);
            }
            case KvModel.Append(String key, String value) -> {
                map.merge(key, value, String::concat);
                revision[0]++;
                yield new KvModel.Done();
            }
            case KvModel.Delete(String key) -> {
                boolean present = map.remove(key) != null;
                if (present) {
                    revision[0]++;
                }
                yield new KvModel.Deleted(present ? 1 : 0);
            }
            case KvModel.Cas(String key, Optional<String> expected, String value) -> {
                boolean ok = expected.equals(Optional.ofNullable(map.get(key)));
                if (ok) {
                    map.put(key, value);
                    revision[0]++;
                }
                yield new KvModel.CasResult(ok);
            }
        };
    }

    /** Key-value operations over three keys and a few values. */
    static KvModel.Input kvInput(Random random) {
        String key = "k" + random.nextInt(3);
        String v = Integer.toString(random.nextInt(4));
        return switch (random.nextInt(6)) {
            case 0, 1 -> new KvModel.Get(key);
            case 2 -> new KvModel.Put(key, v);
            case 3 -> new KvModel.Append(key, v);
            case 4 -> new KvModel.Delete(key);
            default -> new KvModel.Cas(key, random.nextBoolean() ? Optional.empty() : Optional.of(v), Integer.toString(random.nextInt(4)));
        };
    }
}
