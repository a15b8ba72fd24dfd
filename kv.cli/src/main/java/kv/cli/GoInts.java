package kv.cli;

/** Go's {@code strconv} integer parsing, with its error texts (etcdctl puts them in its messages). */
final class GoInts {
    private GoInts() {}

    /** {@code strconv.ParseInt(s, radix, 64)}. */
    static long parseInt(String s, int radix) {
        try {
            return Long.parseLong(s, radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseInt: parsing " + quoted(s) + ": " + reason(s, radix));
        }
    }

    /** {@code strconv.ParseUint(s, radix, 64)}. */
    static long parseUint(String s, int radix) {
        try {
            if (s.startsWith("+") || s.startsWith("-")) {
                throw new NumberFormatException(s);
            }
            return Long.parseUnsignedLong(s, radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing " + quoted(s) + ": " + reason(s, radix));
        }
    }

    private static String reason(String s, int radix) {
        String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        boolean syntax = digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, radix) >= 0);
        return syntax ? "invalid syntax" : "value out of range";
    }

    private static String quoted(String s) {
        return kv.cli.output.GoText.quote(s);
    }
}
