package kv.cli;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} syntax ("2s", "500ms", "1m30s", "1.5h"), which etcdctl's flags use. */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d*\\.?\\d*)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    /** Parses {@code text}; the exception's message is Go's ({@code time: invalid duration "abc"}). */
    static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        Matcher m = PART.matcher(s);
        long nanos = 0;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw invalid(text);
            }
            try {
                nanos = Math.addExact(nanos, nanos(m.group(1), NANOS.get(m.group(2))));
            } catch (ArithmeticException | NumberFormatException e) {
                throw invalid(text);
            }
            at = m.end();
        }
        Duration d = Duration.ofNanos(nanos);
        return negative ? d.negated() : d;
    }

    /**
     * {@code number} (digits, maybe a fraction) times {@code unit}, as Go computes it: the whole part
     * exactly, the fraction in float64 (nanosecond-accurate up to hours), fraction digits past
     * int64's range dropped. (BigDecimal did the same exactly, but its class initialization was a
     * noticeable part of every kvctl start.)
     */
    private static long nanos(String number, long unit) {
        int dot = number.indexOf('.');
        String whole = dot < 0 ? number : number.substring(0, dot);
        long v = whole.isEmpty() ? 0 : Math.multiplyExact(Long.parseLong(whole), unit);
        if (dot < 0) {
            return v;
        }
        long f = 0;
        double scale = 1;
        for (int i = dot + 1; i < number.length(); i++) {
            int digit = number.charAt(i) - '0';
            if (f > (Long.MAX_VALUE - digit) / 10) {
                break; // Go drops the digits that no longer fit
            }
            f = f * 10 + digit;
            scale *= 10;
        }
        return Math.addExact(v, (long) (f * (unit / scale)));
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
}
