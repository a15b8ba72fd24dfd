package kv.lincheck;

import java.util.Objects;
import java.util.Optional;

/**
 * A single register holding a string or nothing, with read, write and compare-and-set: the model
 * of Jepsen's single-register tests (for example {@link JepsenRegisterLog}). The state is the
 * register's value, {@link Optional#empty()} before the first write. Stateless and thread-safe.
 */
public final class RegisterModel implements Model<Optional<String>, RegisterModel.Input, RegisterModel.Output> {

    /** The operations on the register. */
    public sealed interface Input permits Read, Write, Cas {}

    /** Read the value; answered by {@link Value}. */
    public record Read() implements Input {}

    /** Set the value; answered by {@link Done}. */
    public record Write(String value) implements Input {
        public Write {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Set the value to {@code value} if it is {@code expected}; answered by {@link CasResult}. */
    public record Cas(String expected, String value) implements Input {
        public Cas {
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The responses. */
    public sealed interface Output permits Value, Done, CasResult {}

    /** The value read, empty if the register was never written. */
    public record Value(Optional<String> value) implements Output {
        public Value {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A write was applied. */
    public record Done() implements Output {}

    /** Whether a compare-and-set found the expected value and so set the new one. */
    public record CasResult(boolean succeeded) implements Output {}

    @Override
    public Optional<String> init() {
        return Optional.empty();
    }

    @Override
    public Optional<Optional<String>> step(Optional<String> state, Input input, Output output) {
        boolean legal = switch (input) {
            case Read r when output instanceof Value(Optional<String> read) -> read.equals(state);
            case Write w when output instanceof Done -> true;
            case Cas c when output instanceof CasResult(boolean ok) -> ok == matches(state, c);
            default -> throw new IllegalArgumentException("lincheck: output " + output + " does not answer " + input);
        };
        return legal ? stepUnobserved(state, input) : Optional.empty();
    }

    /** Reads, and compare-and-sets that failed. */
    @Override
    public boolean readOnly(Input input, Output output) {
        return input instanceof Read || output instanceof CasResult(boolean ok) && !ok;
    }

    @Override
    public Optional<Optional<String>> stepUnobserved(Optional<String> state, Input input) {
        return Optional.of(switch (input) {
            case Read r -> state;
            case Write(String value) -> Optional.of(value);
            case Cas c -> matches(state, c) ? Optional.of(c.value()) : state;
        });
    }

    private static boolean matches(Optional<String> state, Cas cas) {
        return state.isPresent() && state.get().equals(cas.expected());
    }

    @Override
    public String describe(Input input, Output output) {
        String call = switch (input) {
            case Read r -> "read()";
            case Write(String value) -> "write(" + value + ")";
            case Cas(String expected, String value) -> "cas(" + expected + ", " + value + ")";
        };
        String answer = switch (output) {
            case null -> " -> ?";
            case Value(Optional<String> value) -> " -> " + value.orElse("nil");
            case Done d -> "";
            case CasResult(boolean ok) -> ok ? " -> ok" : " -> fail";
        };
        return call + answer;
    }

    @Override
    public String describeState(Optional<String> state) {
        return state.orElse("nil");
    }
}
