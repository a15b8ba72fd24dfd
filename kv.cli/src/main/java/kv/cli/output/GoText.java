package kv.cli.output;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Text the way Go's standard library writes it, so kvctl's bytes match etcdctl's: {@code %q}
 * quoting, {@code encoding/json} strings, {@code time.Duration.String()} and go-humanize sizes.
 * Stateless.
 */
public final class GoText {
    private GoText() {}

    /** Go's {@code strconv.Quote} of the bytes (invalid UTF-8 bytes become {@code \xNN}). */
    public static String quote(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length + 2).append('"');
        int i = 0;
        while (i < b.length) {
            int cp = decodeUtf8(b, i);
            if (cp < 0) {
                sb.append(String.format("\\x%02x", b[i] & 0xff));
                i++;
                continue;
            }
            i += Character.toString(cp).getBytes(StandardCharsets.UTF_8).length;
            appendQuotedRune(sb, cp);
        }
        return sb.append('"').toString();
    }

    /** Go's {@code strconv.Quote} of a string. */
    public static String quote(String s) {
        return quote(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void appendQuotedRune(StringBuilder sb, int cp) {
        switch (cp) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case 0x07 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0b -> sb.append("\\v");
            default -> {
                if (isPrint(cp)) {
                    sb.appendCodePoint(cp);
                } else if (cp < ' ' || cp == 0x7f) {
                    sb.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    sb.append(String.format("\\u%04x", cp));
                } else {
                    sb.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** The code point starting at {@code i}, or -1 if the bytes there are not valid UTF-8. */
    private static int decodeUtf8(byte[] b, int i) {
        int c = b[i] & 0xff;
        if (c < 0x80) {
            return c;
        }
        int n;
        int cp;
        int min;
        if ((c & 0xe0) == 0xc0) {
            n = 1; cp = c & 0x1f; min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2; cp = c & 0x0f; min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3; cp = c & 0x07; min = 0x10000;
        } else {
            return -1;
        }
        for (int k = 1; k <= n; k++) {
            if (i + k >= b.length || (b[i + k] & 0xc0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (b[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return -1;
        }
        return cp;
    }

    /** A JSON string as Go's {@code encoding/json} writes it (HTML-safe escapes included). */
    public static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Bytes as Go's {@code encoding/json} writes a {@code []byte}: standard base64, padded. */
    public static void jsonBytes(StringBuilder sb, byte[] b) {
        sb.append('"').append(Base64.getEncoder().encodeToString(b)).append('"');
    }

    /** etcdctl's {@code --hex} form: every byte as {@code \xNN}. */
    public static String hexEscaped(byte[] b) {
        String hex = HexFormat.of().formatHex(b);
        StringBuilder sb = new StringBuilder(hex.length() * 2);
        for (int i = 0; i < hex.length(); i += 2) {
            sb.append("\\x").append(hex, i, i + 2);
        }
        return sb.toString();
    }

    /** go-humanize's {@code Bytes}: SI units, one decimal below 10 ("20 kB", "1.5 MB"). */
    public static String humanBytes(long size) {
        if (size >= 0 && size < 10) {
            return size + " B";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        double s = size < 0 ? size + 0x1p64 : size;
        int e = (int) Math.floor(Math.log(s) / Math.log(1000));
        double val = Math.floor(s / Math.pow(1000, e) * 10 + 0.5) / 10;
        // Go's fmt rounds the exact binary value half-to-even; BigDecimal(double) is that exact value
        int scale = val < 10 ? 1 : 0;
        return new BigDecimal(val).setScale(scale, RoundingMode.HALF_EVEN).toPlainString() + " " + units[e];
    }

    /** Go's {@code time.Duration.String()}: "1.052294ms", "992.196µs", "1m2.5s", "0s". */
    public static String duration(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) {
            return "0s";
        }
        boolean neg = ns < 0;
        long u = Math.abs(ns);
        String body;
        if (u < 1_000L) {
            body = u + "ns";
        } else if (u < 1_000_000L) {
            body = fraction(u, 3) + "µs";
        } else if (u < 1_000_000_000L) {
            body = fraction(u, 6) + "ms";
        } else {
            long h = u / 3_600_000_000_000L;
            long m = u / 60_000_000_000L % 60;
            String sec = fraction(u % 60_000_000_000L, 9) + "s";
            body = (h > 0 ? h + "h" + m + "m" : m > 0 ? m + "m" : "") + sec;
        }
        return neg ? "-" + body : body;
    }

    /** {@code v / 10^digits} with trailing fractional zeros dropped. */
    private static String fraction(long v, int digits) {
        BigDecimal d = BigDecimal.valueOf(v, digits).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
