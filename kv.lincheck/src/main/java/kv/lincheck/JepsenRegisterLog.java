package kv.lincheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the log of a Jepsen single-register test (such as Jepsen's etcd test) into a history for
 * {@link RegisterModel}. Each relevant line is
 * {@code INFO jepsen.util - P :invoke|:ok|:fail|:info :read|:write|:cas VALUE}, with {@code nil}
 * for an empty read and {@code [old new]} for a compare-and-set; lines without
 * {@code jepsen.util} (and the nemesis's) are skipped. The line number is the time.
 *
 * <p>Result types and what they mean:
 * <ul>
 *   <li>{@code :ok}: the operation happened, with the logged value;
 *   <li>{@code :fail :cas}: the compare-and-set was evaluated and its compare did not hold, so it
 *       had no effect (a result of {@code false});
 *   <li>{@code :fail} of a write: the operation did not happen; it is left out of the history;
 *   <li>{@code :fail :read :timed-out} and any {@code :info}: the outcome is unknown, so the
 *       operation is pending (it may have happened at any time after its call, or not at all).
 * </ul>
 * Stateless and thread-safe.
 */
public final class JepsenRegisterLog {
    private static final Pattern LINE = Pattern.compile(
            "^INFO\\s+jepsen\\.util\\s+-\\s+(\\d+)\\s+:(invoke|ok|fail|info)\\s+:(read|write|cas)\\s+(.*?)\\s*$");
    private static final Pattern CAS = Pattern.compile("^\\[\\s*(\\S+)\\s+(\\S+)\\s*]$");

    private JepsenRegisterLog() {}

    /** Reads and parses the log file at {@code file}. */
    public static List<Operation<RegisterModel.Input, RegisterModel.Output>> read(Path file) throws IOException {
        try {
            return parse(Files.readAllLines(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses log lines into operations, in call order.
     *
     * @throws IllegalArgumentException on a malformed {@code jepsen.util} line or a response
     *                                  without a call, naming the line
     */
    public static List<Operation<RegisterModel.Input, RegisterModel.Output>> parse(List<String> lines) {
        Map<Integer, Call> open = new HashMap<>();
        List<Operation<RegisterModel.Input, RegisterModel.Output>> ops = new ArrayList<>();
        for (int t = 0; t < lines.size(); t++) {
            String line = lines.get(t);
            if (!line.contains("jepsen.util") || line.contains(":nemesis")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (t + 1) + ": not a register operation: " + line);
            }
            int process = Integer.parseInt(m.group(1));
            String type = m.group(2);
            try {
                if (type.equals("invoke")) {
                    if (open.put(process, new Call(t, input(m.group(3), m.group(4)))) != null) {
                        throw new IllegalArgumentException("process " + process + " invoked twice without a response");
                    }
                } else {
                    Call call = open.remove(process);
                    if (call == null) {
                        throw new IllegalArgumentException("process " + process + " responds without a call");
                    }
                    respond(process, call, type, m.group(4), t).ifPresent(ops::add);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (t + 1) + ": " + e.getMessage() + ": " + line, e);
            }
        }
        open.forEach((process, call) -> ops.add(Operation.pending(process, call.input(), call.time())));
        ops.sort(Comparator.comparingLong(Operation::callTime));
        return List.copyOf(ops);
    }

    private static RegisterModel.Input input(String f, String value) {
        return switch (f) {
            case "read" -> new RegisterModel.Read();
            case "write" -> new RegisterModel.Write(value);
            case "cas" -> {
                Matcher c = CAS.matcher(value);
                if (!c.matches()) {
                    throw new IllegalArgumentException("cas needs [old new], got " + value);
                }
                yield new RegisterModel.Cas(c.group(1), c.group(2));
            }
            default -> throw new IllegalArgumentException("unknown operation :" + f);
        };
    }

    private static Optional<Operation<RegisterModel.Input, RegisterModel.Output>> respond(int process, Call call, String type, String value, long time) {
        RegisterModel.Input input = call.input();
        Operation<RegisterModel.Input, RegisterModel.Output> op = switch (type) {
            case "ok" -> Operation.completed(process, input, call.time(), time, okOutput(input, value));
            case "fail" -> switch (input) {
                case RegisterModel.Cas c -> Operation.completed(process, input, call.time(), time, new RegisterModel.CasResult(false));
                case RegisterModel.Read r -> Operation.pending(process, input, call.time());
                case RegisterModel.Write w -> null;
            };
            case "info" -> Operation.pending(process, input, call.time());
            default -> throw new IllegalArgumentException("unknown result type :" + type);
        };
        return Optional.ofNullable(op);
    }

    private static RegisterModel.Output okOutput(RegisterModel.Input input, String value) {
        return switch (input) {
            case RegisterModel.Read r -> new RegisterModel.Value(value.equals("nil") ? Optional.empty() : Optional.of(value));
            case RegisterModel.Write w -> new RegisterModel.Done();
            case RegisterModel.Cas c -> new RegisterModel.CasResult(true);
        };
    }

    private record Call(long time, RegisterModel.Input input) {}
}
