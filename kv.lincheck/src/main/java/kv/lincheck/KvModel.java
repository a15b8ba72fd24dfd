package kv.lincheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A key-value map with get, put, append, delete and compare-and-set per key, as kv's fault tests
 * and Jepsen's key-value tests issue them. Keys are independent, so the history is
 * {@linkplain #partition partitioned} per key and the state is that of one key.
 *
 * <p>A put may report the etcd revision it created: revisions grow with every change, so for one key
 * the revisions of puts must increase in linearization order. The model keeps, besides the value,
 * the highest revision a put of the key is known to have created; a put that reports a revision at
 * or below it is illegal. Revision {@code 0} means "not reported" (etcd never issues it). A value of
 * "" read from a key is not the same as absence. Stateless and thread-safe.
 */
public final class KvModel implements Model<KvModel.KeyState, KvModel.Input, KvModel.Output> {

    /**
     * The state of one key.
     *
     * @param value    the value, empty if the key is absent
     * @param revision the highest revision known to have been created for the key, 0 if none
     */
    public record KeyState(Optional<String> value, long revision) {
        public KeyState {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The operations; each names the key it works on. */
    public sealed interface Input permits Get, Put, Append, Delete, Cas {
        /** The key the operation reads or changes. */
        String key();
    }

    /** Read the key; answered by {@link Value}. */
    public record Get(String key) implements Input {
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Set the key; answered by {@link Revision}. */
    public record Put(String key, String value) implements Input {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Append to the key's value (an absent key counts as ""); answered by {@link Done}. */
    public record Append(String key, String value) implements Input {
        public Append {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Remove the key; answered by {@link Deleted}, or {@link Done} if the count was not recorded. */
    public record Delete(String key) implements Input {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Set the key to {@code value} if its value is {@code expected} (empty: if it is absent), as an
     * etcd transaction comparing the value; answered by {@link CasResult}.
     */
    public record Cas(String key, Optional<String> expected, String value) implements Input {
        public Cas {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The responses. */
    public sealed interface Output permits Value, Revision, Done, Deleted, CasResult {}

    /** The value read, empty if the key is absent. */
    public record Value(Optional<String> value) implements Output {
        public Value {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The revision a put created; 0 if not reported. */
    public record Revision(long revision) implements Output {
        public Revision {
            if (revision < 0) {
                throw new IllegalArgumentException("lincheck: negative revision " + revision);
            }
        }
    }

    /** An append or delete was applied. */
    public record Done() implements Output {}

    /** How many keys a delete removed, as etcd reports it: 1 if the key was present, else 0. */
    public record Deleted(long count) implements Output {
        public Deleted {
            if (count < 0 || count > 1) {
                throw new IllegalArgumentException("lincheck: a delete of one key removes 0 or 1 keys, not " + count);
            }
        }
    }

    /** Whether a compare-and-set found the expected value and so set the new one. */
    public record CasResult(boolean succeeded) implements Output {}

    @Override
    public KeyState init() {
        return new KeyState(Optional.empty(), 0);
    }

    @Override
    public Optional<KeyState> step(KeyState state, Input input, Output output) {
        return switch (input) {
            case Get g when output instanceof Value(Optional<String> read) ->
                    read.equals(state.value()) ? Optional.of(state) : Optional.empty();
            case Put(String key, String value) when output instanceof Revision(long revision) -> put(state, value, revision);
            case Append a when output instanceof Done -> stepUnobserved(state, a);
            case Delete d when output instanceof Done -> stepUnobserved(state, d);
            case Delete d when output instanceof Deleted(long count) ->
                    count == (state.value().isPresent() ? 1 : 0) ? stepUnobserved(state, d) : Optional.empty();
            case Cas c when output instanceof CasResult(boolean ok) ->
                    ok == c.expected().equals(state.value()) ? stepUnobserved(state, c) : Optional.empty();
            default -> throw new IllegalArgumentException("lincheck: output " + output + " does not answer " + input);
        };
    }

    /** Gets, compare-and-sets that failed, and deletes that found nothing to delete. */
    @Override
    public boolean readOnly(Input input, Output output) {
        return input instanceof Get
                || output instanceof CasResult(boolean ok) && !ok
                || output instanceof Deleted(long count) && count == 0;
    }

    private static Optional<KeyState> put(KeyState state, String value, long revision) {
        if (revision == 0) {
            return Optional.of(new KeyState(Optional.of(value), state.revision()));
        }
        return revision > state.revision() ? Optional.of(new KeyState(Optional.of(value), revision)) : Optional.empty();
    }

    /**
     * The effect of an operation nobody saw answer. A put of unknown revision keeps the known
     * revision bound: it is still a lower bound for later puts.
     */
    @Override
    public Optional<KeyState> stepUnobserved(KeyState state, Input input) {
        return Optional.of(switch (input) {
            case Get g -> state;
            case Put(String key, String value) -> new KeyState(Optional.of(value), state.revision());
            case Append(String key, String value) -> new KeyState(Optional.of(state.value().orElse("") + value), state.revision());
            case Delete d -> new KeyState(Optional.empty(), state.revision());
            case Cas c -> c.expected().equals(state.value()) ? new KeyState(Optional.of(c.value()), state.revision()) : state;
        });
    }

    /** One sub-history per key, in order of first appearance. */
    @Override
    public List<List<Operation<Input, Output>>> partition(List<Operation<Input, Output>> history) {
        Map<String, List<Operation<Input, Output>>> byKey = new LinkedHashMap<>();
        for (Operation<Input, Output> op : history) {
            byKey.computeIfAbsent(op.input().key(), k -> new ArrayList<>()).add(op);
        }
        return List.copyOf(byKey.values());
    }

    @Override
    public String describe(Input input, Output output) {
        String call = switch (input) {
            case Get(String key) -> "get(" + key + ")";
            case Put(String key, String value) -> "put(" + key + ", " + value + ")";
            case Append(String key, String value) -> "append(" + key + ", " + value + ")";
            case Delete(String key) -> "delete(" + key + ")";
            case Cas(String key, Optional<String> expected, String value) ->
                    "cas(" + key + ", " + expected.orElse("<absent>") + ", " + value + ")";
        };
        String answer = switch (output) {
            case null -> " -> ?";
            case Value(Optional<String> value) -> " -> " + value.map(v -> '"' + v + '"').orElse("<absent>");
            case Revision(long revision) -> revision == 0 ? "" : " -> revision " + revision;
            case Done d -> "";
            case Deleted(long count) -> " -> deleted " + count;
            case CasResult(boolean ok) -> ok ? " -> succeeded" : " -> failed";
        };
        return call + answer;
    }

    @Override
    public String describeState(KeyState state) {
        String value = state.value().map(v -> '"' + v + '"').orElse("<absent>");
        return state.revision() == 0 ? value : value + " (latest put revision " + state.revision() + ")";
    }
}
