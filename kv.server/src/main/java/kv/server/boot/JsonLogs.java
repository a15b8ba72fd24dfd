package kv.server.boot;

import java.io.PrintStream;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Structured logs as etcd writes them (zap's JSON lines on stderr): {@code level}, {@code ts},
 * {@code caller} (the logging class), {@code msg}, and {@code error} with the exception. The
 * layers log through {@link System.Logger}, which reaches java.util.logging here.
 */
final class JsonLogs {
    private JsonLogs() {}

    /** Routes all logging to JSON lines on {@code err} at etcd's {@code --log-level}. */
    static void install(String etcdLevel, PrintStream err) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Level level = switch (etcdLevel) {
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error", "panic", "fatal" -> Level.SEVERE;
            default -> Level.INFO;
        };
        root.setLevel(level);
        Handler h = new Handler() {
            private final Formatter format = new JsonFormatter();

            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    err.print(format.format(r));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {}
        };
        h.setLevel(level);
        root.addHandler(h);
        // grpc-netty and Guice are chatty below WARNING
        Logger.getLogger("io.grpc").setLevel(level.intValue() > Level.WARNING.intValue() ? level : Level.WARNING);
    }

    static final class JsonFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(160).append("{\"level\":\"").append(level(r.getLevel()))
                    .append("\",\"ts\":\"").append(Instant.ofEpochMilli(r.getMillis())).append("\",\"caller\":");
            quote(sb, r.getLoggerName() == null ? "" : r.getLoggerName());
            sb.append(",\"msg\":");
            quote(sb, formatMessage(r));
            if (r.getThrown() != null) {
                sb.append(",\"error\":");
                quote(sb, r.getThrown().toString());
            }
            return sb.append("}\n").toString();
        }

        private static String level(Level l) {
            if (l.intValue() >= Level.SEVERE.intValue()) {
                return "error";
            }
            if (l.intValue() >= Level.WARNING.intValue()) {
                return "warn";
            }
            return l.intValue() >= Level.INFO.intValue() ? "info" : "debug";
        }

        private static void quote(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
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
    }
}
