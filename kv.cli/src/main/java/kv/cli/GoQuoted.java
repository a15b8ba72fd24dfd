package kv.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the text etcdctl reads with Go's {@code fmt.Sscanf("%q")}: double-quoted strings with Go
 * escapes, or back-quoted raw strings; and splitting a request line into words as etcdctl's
 * {@code argify} does. Stateless.
 */
final class GoQuoted {
    private static final Pattern WORD = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^'\"\\s]\\S*[^'\"\\s]?");

    private GoQuoted() {}

    /** A quoted string and where it ended. */
    record Read(String value, int end) {}

    /** Reads the quoted string that starts at {@code from} (after optional spaces). */
    static Read read(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= s.length()) {
            throw new IllegalArgumentException("unexpected EOF");
        }
        char q = s.charAt(i);
        if (q == '`') {
            int end = s.indexOf('`', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unexpected EOF");
            }
            return new Read(s.substring(i + 1, end), end + 1);
        }
        if (q != '"') {
            throw new IllegalArgumentException("expected quoted string");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        i++;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return new Read(out.toString(StandardCharsets.UTF_8), i + 1);
            }
            if (c != '\\') {
                int cp = s.codePointAt(i);
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            i = escape(s, i + 1, out);
        }
        throw new IllegalArgumentException("unexpected EOF");
    }

    private static int escape(String s, int i, ByteArrayOutputStream out) {
        if (i >= s.length()) {
            throw new IllegalArgumentException("unexpected EOF");
        }
        char e = s.charAt(i);
        switch (e) {
            case 'a' -> out.write(7);
            case 'b' -> out.write('\b');
            case 'f' -> out.write('\f');
            case 'n' -> out.write('\n');
            case 'r' -> out.write('\r');
            case 't' -> out.write('\t');
            case 'v' -> out.write(0x0b);
            case '\\', '"', '\'' -> out.write(e);
            case 'x' -> {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                return i + 3;
            }
            case 'u', 'U' -> {
                int n = e == 'u' ? 4 : 8;
                int cp = Integer.parseInt(s.substring(i + 1, i + 1 + n), 16);
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                return i + 1 + n;
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    out.write(Integer.parseInt(s.substring(i, i + 3), 8));
                    return i + 3;
                }
                throw new IllegalArgumentException("invalid syntax");
            }
        }
        return i + 1;
    }

    /** etcdctl's {@code argify}: words, "double-quoted" (Go escapes) or 'single-quoted'. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(line);
        while (m.find()) {
            String w = m.group();
            if (w.startsWith("'") && w.length() >= 2) {
                w = w.substring(1, w.length() - 1);
            } else if (w.startsWith("\"")) {
                try {
                    w = read(w, 0).value();
                } catch (RuntimeException e) {
                    throw new CliException(ExitCode.INVALID_INPUT, e.getMessage());
                }
            }
            words.add(w);
        }
        return words;
    }
}
