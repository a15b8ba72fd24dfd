package kv.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kv.cli.output.OutputFormat;
import kv.cli.output.Printer;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * etcdctl's global flags. They are inherited by every subcommand (so {@code kvctl get k -w json}
 * works as with etcdctl) and picocli stores them here, on the root command, wherever they appear.
 * Each may also come from an {@code ETCDCTL_<FLAG>} environment variable (see {@link Main}).
 * Mutable while picocli parses; read-only afterwards.
 */
class GlobalOptions {
    @Option(names = "--endpoints", scope = ScopeType.INHERIT, split = ",", defaultValue = "127.0.0.1:2379", paramLabel = "<host:port,...>",
            description = "gRPC endpoints (default: ${DEFAULT-VALUE})")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, defaultValue = "2s", paramLabel = "<duration>",
            description = "dial timeout for client connections (default: ${DEFAULT-VALUE})")
    String dialTimeout;

    @Option(names = "--command-timeout", scope = ScopeType.INHERIT, defaultValue = "5s", paramLabel = "<duration>",
            description = "timeout for short running command, excluding dial timeout (default: ${DEFAULT-VALUE})")
    String commandTimeout;

    @Option(names = "--keepalive-time", scope = ScopeType.INHERIT, defaultValue = "2s", paramLabel = "<duration>",
            description = "keepalive time for client connections (default: ${DEFAULT-VALUE})")
    String keepaliveTime;

    @Option(names = "--keepalive-timeout", scope = ScopeType.INHERIT, defaultValue = "6s", paramLabel = "<duration>",
            description = "keepalive timeout for client connections (default: ${DEFAULT-VALUE})")
    String keepaliveTimeout;

    @Option(names = {"-w", "--write-out"}, scope = ScopeType.INHERIT, defaultValue = "simple", paramLabel = "<format>",
            description = "set the output format (fields, json, protobuf, simple, table) (default: ${DEFAULT-VALUE})")
    String writeOut;

    @Option(names = "--hex", scope = ScopeType.INHERIT, arity = "0..1", defaultValue = "false",
            description = "print byte strings as hex encoded strings")
    boolean hex;

    @Option(names = "--user", scope = ScopeType.INHERIT, defaultValue = "", paramLabel = "<user[:password]>",
            description = "username[:password] for authentication (prompt if password is not supplied)")
    String user;

    @Option(names = "--password", scope = ScopeType.INHERIT, defaultValue = "", paramLabel = "<password>",
            description = "password for authentication (if this option is used, --user option shouldn't include password)")
    String password;

    @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "<file>",
            description = "verify certificates of TLS-enabled secure servers using this CA bundle")
    String cacert;

    @Option(names = "--cert", scope = ScopeType.INHERIT, paramLabel = "<file>",
            description = "identify secure client using this TLS certificate file")
    String cert;

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "<file>",
            description = "identify secure client using this TLS key file")
    String key;

    @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT, arity = "0..1", defaultValue = "false",
            description = "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)")
    boolean insecureSkipTlsVerify;

    @Option(names = "--insecure-transport", scope = ScopeType.INHERIT, arity = "0..1", defaultValue = "true",
            description = "disable transport security for client connections (default: ${DEFAULT-VALUE})")
    boolean insecureTransport;

    @Option(names = "--debug", scope = ScopeType.INHERIT, arity = "0..1", defaultValue = "false",
            description = "enable client-side debug logging")
    boolean debug;

    /** The printer for {@code -w}; an unknown format is etcdctl's ExitBadFeature. */
    Printer printer(PrintStream out, PrintStream err) {
        return format().printer(out, err, hex);
    }

    OutputFormat format() {
        return OutputFormat.named(writeOut)
                .orElseThrow(() -> new CliException(ExitCode.BAD_FEATURE, "unsupported output format"));
    }

    /** The connection settings, checked: bad durations and empty TLS file flags fail as in etcdctl. */
    ClientConfig clientConfig(Optional<String> typedPassword) {
        requireNonEmpty("--cert", cert);
        requireNonEmpty("--key", key);
        requireNonEmpty("--cacert", cacert);
        return new ClientConfig(List.copyOf(endpoints), duration("--dial-timeout", dialTimeout),
                duration("--command-timeout", commandTimeout), duration("--keepalive-time", keepaliveTime),
                duration("--keepalive-timeout", keepaliveTimeout), Optional.ofNullable(cacert), Optional.ofNullable(cert),
                Optional.ofNullable(key), insecureSkipTlsVerify, insecureTransport, credentials(typedPassword));
    }

    Duration commandTimeout() {
        return duration("--command-timeout", commandTimeout);
    }

    private static void requireNonEmpty(String flag, String value) {
        if (value != null && value.isEmpty()) {
            throw CliException.badArgs("empty string is passed to " + flag + " option");
        }
    }

    static Duration duration(String flag, String value) {
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.ERROR, "invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }

    /** {@code --user name:secret}, or {@code --user name --password secret}; none without {@code --user}. */
    private Optional<ClientConfig.Credentials> credentials(Optional<String> typedPassword) {
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (!password.isEmpty()) {
            return Optional.of(new ClientConfig.Credentials(user, password));
        }
        int colon = user.indexOf(':');
        if (colon >= 0) {
            return Optional.of(new ClientConfig.Credentials(user.substring(0, colon), user.substring(colon + 1)));
        }
        String typed = typedPassword.orElseThrow(() -> new CliException(ExitCode.ERROR, "no password given for user " + user
                + " (use --user name:password or --password)"));
        return Optional.of(new ClientConfig.Credentials(user, typed));
    }
}
