package kv.lincheck;

import java.io.IOException;
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
 * Reads a Jepsen-style key-value history written as one EDN map per line,
 * {@code {:process P, :type :invoke|:ok|:fail|:info, :f :get|:put|:append, :key "K", :value "V"}},
 * into a history for {@link KvModel}. Blank lines are skipped; the line number is the time.
 *
 * <p>{@code :ok} means the operation happened with the logged value, {@code :fail} that it did
 * not happen (left out), {@code :info} that its outcome is unknown (pending); a call without a
 * response is pending too. The format reads an absent key as {@code ""}, so a get of {@code ""} is
 * taken as "absent", and writing {@code ""} is refused as ambiguous. Puts report no revision.
 * Stateless and thread-safe.
 */
public final class EdnKvLog {
    private static final Pattern LINE = Pattern.compile(
            "^\\{:process\\s+(\\d+),\\s*:type\\s+:(invoke|ok|fail|info),\\s*:f\\s+:(get|put|append),"
                    + "\\s*:key\\s+\"([^\"]*)\",\\s*:value\\s+(nil|\"([^\"]*)\")}$");

    private EdnKvLog() {}

    /** Reads and parses the history file at {@code file}. */
    public static List<Operation<KvModel.Input, KvModel.Output>> read(Path file) throws IOException {
        try {
            return parse(Files.readAllLines(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses history lines into operations, in call order.
     *
     * @throws IllegalArgumentException on a malformed line or a response without a call, naming the line
     */
    public static List<Operation<KvModel.Input, KvModel.Output>> parse(List<String> lines) {
        Map<Integer, Call> open = new HashMap<>();
        List<Operation<KvModel.Input, KvModel.Output>> ops = new ArrayList<>();
        for (int t = 0; t < lines.size(); t++) {
            String line = lines.get(t).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                parseLine(line, t, open).ifPresent(ops::add);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (t + 1) + ": " + e.getMessage() + ": " + line, e);
            }
        }
        open.forEach((process, call) -> ops.add(Operation.pending(process, call.input(), call.time())));
        ops.sort(Comparator.comparingLong(Operation::callTime));
        return List.copyOf(ops);
    }

    private static Optional<Operation<KvModel.Input, KvModel.Output>> parseLine(String line, long t, Map<Integer, Call> open) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a get/put/append operation");
        }
        int process = Integer.parseInt(m.group(1));
        String type = m.group(2);
        String value = m.group(6);
        if (type.equals("invoke")) {
            if (open.put(process, new Call(t, input(m.group(3), m.group(4), value))) != null) {
                throw new IllegalArgumentException("process " + process + " invoked twice without a response");
            }
            return Optional.empty();
        }
        Call call = open.remove(process);
        if (call == null) {
            throw new IllegalArgumentException("process " + process + " responds without a call");
        }
        return switch (type) {
            case "ok" -> Optional.of(Operation.completed(process, call.input(), call.time(), t, output(call.input(), value)));
            case "fail" -> Optional.empty();
            case "info" -> Optional.of(Operation.pending(process, call.input(), call.time()));
            default -> throw new IllegalArgumentException("unknown result type :" + type);
        };
    }

    private static KvModel.Input input(String f, String key, String value) {
        if (!f.equals("get") && (value == null || value.isEmpty())) {
            throw new IllegalArgumentException(":" + f + " needs a non-empty value");
        }
        return switch (f) {
            case "get" -> new KvModel.Get(key);
            case "put" -> new KvModel.Put(key, value);
            case "append" -> new KvModel.Append(key, value);
            default -> throw new IllegalArgumentException("unknown operation :" + f);
        };
    }

    private static KvModel.Output output(KvModel.Input input, String value) {
        return switch (input) {
            case KvModel.Get g -> {
                if (value == null) {
                    throw new IllegalArgumentException(":ok :get needs a value");
                }
                yield new KvModel.Value(value.isEmpty() ? Optional.empty() : Optional.of(value));
            }
            case KvModel.Put p -> new KvModel.Revision(0);
            case KvModel.Append a -> new KvModel.Done();
            case KvModel.Delete d -> new KvModel.Done();
            case KvModel.Cas c -> throw new IllegalArgumentException("this format has no cas");
        };
    }

    private record Call(long time, KvModel.Input input) {}
}
