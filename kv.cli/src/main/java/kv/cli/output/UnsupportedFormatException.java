package kv.cli.output;

/** The chosen {@code -w} format cannot show this answer; the message is etcdctl's ("table not supported as output format"). */
public final class UnsupportedFormatException extends RuntimeException {
    public UnsupportedFormatException(String message) {
        super(message);
    }
}
