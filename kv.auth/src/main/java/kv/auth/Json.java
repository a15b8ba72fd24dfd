package kv.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for JWT headers and claims: one flat object whose values are strings or integers.
 * Anything else is malformed; parsing only ever sees input whose signature was already checked, or a
 * header, and fails with {@link IllegalArgumentException}.
 */
final class Json {
    private final String s;
    private int at;

    private Json(String s) {
        this.s = s;
    }

    /** Writes a flat object; values are {@link String} or {@link Long}. */
    static String write(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, e.getKey());
            sb.append(':');
            switch (e.getValue()) {
                case String str -> quote(sb, str);
                case Long n -> sb.append(n);
                default -> throw new IllegalArgumentException("unsupported JSON value " + e.getValue());
            }
        }
        return sb.append('}').toString();
    }

    /** Reads a flat object of strings and integers (as {@link Long}). */
    static Map<String, Object> read(String json) {
        Json p = new Json(json);
        Map<String, Object> out = new LinkedHashMap<>();
        p.expect('{');
        if (p.peek() != '}') {
            do {
                String key = p.string();
                p.expect(':');
                out.put(key, p.peek() == '"' ? p.string() : p.number());
            } while (p.tryConsume(','));
        }
        p.expect('}');
        p.skipSpace();
        if (p.at != json.length()) {
            throw new IllegalArgumentException("trailing JSON");
        }
        return out;
    }

    private static void quote(StringBuilder sb, String v) {
        sb.append('"');
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private char peek() {
        skipSpace();
        if (at >= s.length()) {
            throw new IllegalArgumentException("truncated JSON");
        }
        return s.charAt(at);
    }

    private void skipSpace() {
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
            at++;
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at);
        }
        at++;
    }

    private boolean tryConsume(char c) {
        if (peek() == c) {
            at++;
            return true;
        }
        return false;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (at >= s.length()) {
                throw new IllegalArgumentException("unterminated JSON string");
            }
            char c = s.charAt(at++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw new IllegalArgumentException("bad JSON escape \\" + e);
            }
        }
    }

    private Long number() {
        int start = at;
        if (at < s.length() && s.charAt(at) == '-') {
            at++;
        }
        while (at < s.length() && Character.isDigit(s.charAt(at))) {
            at++;
        }
        return Long.parseLong(s.substring(start, at));
    }
}
