package kv.cli.output;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/** The {@code -w/--write-out} formats, as etcdctl names them. */
public enum OutputFormat {
    SIMPLE, JSON, FIELDS, TABLE, PROTOBUF;

    /** The format named {@code name} (etcdctl's lower-case names), if there is one. */
    public static Optional<OutputFormat> named(String name) {
        for (OutputFormat f : values()) {
            if (f.flagName().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The name used on the command line. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A printer of this format writing to {@code out} (and, for messages etcdctl sends there, {@code err}). */
    public Printer printer(PrintStream out, PrintStream err, boolean hex) {
        return switch (this) {
            case SIMPLE -> new SimplePrinter(out, err, hex);
            case JSON -> new JsonPrinter(out, err);
            case FIELDS -> new FieldsPrinter(out, err);
            case TABLE -> new TablePrinter(out, err);
            case PROTOBUF -> new ProtobufPrinter(out, err);
        };
    }
}
