package kv.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader/writer for golden files in the style of cockroachdb/datadriven: each test case
 * is a command line, a {@code ----} separator and the expected output up to the next blank line.
 * Lines starting with {@code #} before a command are comments. Output never contains blank lines.
 */
final class DataDriven {
    /** One command with its positional arguments and {@code key=value} arguments. */
    record Command(int line, String text, String name, List<String> args, Map<String, String> kv, String expected) {
        String kv(String key, String dflt) {
            return kv.getOrDefault(key, dflt);
        }

        List<Long> ids(String key) {
            String v = kv.get(key);
            if (v == null) {
                return List.of();
            }
            return parseIds(v);
        }

        List<Long> positionalIds() {
            List<Long> out = new ArrayList<>();
            for (String a : args) {
                out.add(Long.parseLong(a));
            }
            return out;
        }
    }

    /** A parsed file: its cases and, between them, the verbatim comment/blank lines. */
    record Script(List<Object> parts) {
        List<Command> commands() {
            return parts.stream().filter(p -> p instanceof Command).map(p -> (Command) p).toList();
        }
    }

    private DataDriven() {}

    static List<Long> parseIds(String v) {
        String s = v.replace("(", "").replace(")", "").trim();
        List<Long> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String p : s.split("[ ,]+")) {
            out.add(Long.parseLong(p));
        }
        return out;
    }

    static Script parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                parts.add(l);
                i++;
                continue;
            }
            int cmdLine = i + 1;
            i++;
            if (i >= lines.size() || !lines.get(i).equals("----")) {
                throw new IllegalArgumentException(file + ":" + cmdLine + ": expected ---- after command");
            }
            i++;
            StringBuilder expected = new StringBuilder();
            while (i < lines.size() && !lines.get(i).isBlank()) {
                expected.append(lines.get(i)).append('\n');
                i++;
            }
            parts.add(command(cmdLine, l, expected.toString()));
        }
        return new Script(parts);
    }

    private static Command command(int line, String text, String expected) {
        List<String> tokens = tokenize(text);
        List<String> args = new ArrayList<>();
        Map<String, String> kv = new LinkedHashMap<>();
        for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            if (eq > 0) {
                kv.put(t.substring(0, eq), t.substring(eq + 1));
            } else {
                args.add(t);
            }
        }
        return new Command(line, text, tokens.getFirst(), args, kv, expected);
    }

    /** Splits on spaces, keeping parenthesized groups such as {@code voters=(1 2 3)} together. */
    private static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (char c : text.trim().toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ' ' && depth == 0) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Writes the script back with the given actual outputs in place of the expected ones. */
    static void rewrite(Path file, Script script, List<String> actual) throws IOException {
        StringBuilder b = new StringBuilder();
        int k = 0;
        for (Object p : script.parts()) {
            if (p instanceof Command c) {
                b.append(c.text()).append('\n').append("----\n").append(actual.get(k++));
            } else {
                b.append(p).append('\n');
            }
        }
        Files.writeString(file, b.toString());
    }
}
