package kv.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kv.admin.DataDir;
import kv.admin.DataDirHash;
import kv.admin.EngineMigration;
import kv.admin.MigrationException;
import kv.backend.BackendException;
import kv.backend.BackendHash;
import kv.backend.BackendLocator;
import kv.backend.Durability;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltStats;
import kv.cli.output.GoText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The offline group, etcdutl's part of kvctl: commands that work on a STOPPED member's files
 * (data directory, WAL, backend file, snapshot file) and never connect to a cluster. Each refuses a
 * member that runs (its WAL or backend file is locked). Output is text through the printer.
 */
final class OfflineCommands {
    private OfflineCommands() {}

    /** A library's refusal or failure as kvctl's one-line error (its message is already etcd-style). */
    static CliException failed(RuntimeException e) {
        return new CliException(ExitCode.ERROR, String.valueOf(e.getMessage()));
    }

    /**
     * These commands print etcdutl's plain text only: another {@code -w} fails as etcdctl fails for
     * a format an answer has no shape in ("json not supported as output format", exit 4).
     */
    static void textOnly(CliCommand c) {
        kv.cli.output.OutputFormat f = c.global().format();
        if (f != kv.cli.output.OutputFormat.SIMPLE) {
            throw new kv.cli.output.UnsupportedFormatException(f.flagName() + " not supported as output format");
        }
    }

    static BackendLocator locator(Path pluginDir) {
        try {
            return pluginDir == null ? BackendLocator.builtIn() : BackendLocator.load(pluginDir);
        } catch (BackendException e) {
            throw failed(e);
        }
    }

    @Command(name = "migrate", description = {"Migrates a stopped member's backend to another storage engine",
            "Copies every bucket of the member's recorded engine (member/engine) into member/db-<engine>.migrating in bounded",
            "transactions, checks that both stores have the same content hash, renames the copy to member/db-<engine>, switches",
            "the engine record and deletes the old engine's files (unless --keep-source). Until the switch the member still",
            "starts on its old engine: an interrupted or failed migration changes nothing. kvd must be stopped (the WAL lock",
            "is held for the whole run). A progress bar is drawn on standard error when it is a terminal."},
            customSynopsis = "kvctl migrate --data-dir <dir> --to <engine> [--plugin-dir <dir>] [--keep-source]",
            footer = {"  kvctl migrate --data-dir /var/lib/kv --to rocksdb", "  kvctl migrate --data-dir /var/lib/kv --to jbolt --keep-source",
                    "  kvctl migrate --data-dir /var/lib/kv --to myengine --plugin-dir /opt/kv/plugins"})
    static final class Migrate extends CliCommand {
        @Option(names = "--data-dir", required = true, description = "path to the member's data directory")
        Path dataDir;

        @Option(names = "--to", required = true, description = "the engine to migrate to (see 'kvctl backend list')")
        String target;

        @Option(names = "--plugin-dir", description = "directory of engine plug-ins (jars or folders of jars)")
        Path pluginDir;

        @Option(names = "--keep-source", arity = "0..1", description = "keep the old engine's directory after the switch")
        boolean keepSource;

        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("migrate command accepts no arguments");
            }
            textOnly(this);
            EngineMigration migration = new EngineMigration(locator(pluginDir));
            EngineMigration.Result r;
            try (MigrationBar bar = new MigrationBar(session())) {
                r = migration.migrate(new DataDir(dataDir), EngineMigration.Plan.to(target).withKeepSource(keepSource), bar::copied);
            } catch (MigrationException | IllegalArgumentException | java.io.UncheckedIOException e) {
                throw failed(e);
            }
            printer().line("Migrated " + dataDir + " from \"" + r.source() + "\" to \"" + r.target() + "\"");
            printer().line("source:  " + r.source() + r.keptSource().map(p -> " (kept in " + p + ")").orElse(" (deleted)"));
            printer().line("target:  " + r.target() + " (" + r.targetDirectory() + ")");
            printer().line("entries: " + r.hash().entries() + " in " + r.hash().buckets() + " buckets");
            printer().line("bytes:   " + r.payloadBytes() + " (" + GoText.humanBytes(r.payloadBytes()) + ") of keys and values");
            printer().line("hash:    sha256 " + r.hash().sha256() + " (verified on both engines)");
            printer().line("time:    " + String.format(java.util.Locale.ROOT, "%.3fs", r.took().toNanos() / 1e9));
        }
    }

    /** Migration progress as a bar on a terminal's standard error; nothing otherwise. */
    private static final class MigrationBar implements AutoCloseable {
        private static final int WIDTH = 30;
        private final PrintStream err;
        private final boolean enabled;
        private boolean drawn;

        MigrationBar(Session session) {
            this.err = session.err();
            this.enabled = session.terminal();
        }

        void copied(EngineMigration.Progress p) {
            if (!enabled) {
                return;
            }
            int filled = (int) Math.round(Math.min(1, p.fraction()) * WIDTH);
            err.print("\rMigrating [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                    + String.format("%3d%%", Math.round(p.fraction() * 100)) + " " + GoText.humanBytes(p.bytes()) + "/"
                    + GoText.humanBytes(p.totalBytes()) + ", " + p.entries() + "/" + p.totalEntries() + " entries  ");
            err.flush();
            drawn = true;
        }

        @Override
        public void close() {
            if (drawn) {
                err.print("\n");
                err.flush();
            }
        }
    }

    @Command(name = "hashkv", description = {"Prints the content hash of a stopped member's backend",
            "Opens the member's recorded engine under the WAL lock (refusing a running member) and prints kv's",
            "engine-neutral SHA-256 of every bucket, key and value, then the bucket and entry counts:",
            "<sha256>, <buckets>, <entries>. The same content gives the same hash on every engine, so it",
            "compares members, a migration's source and target, or a snapshot ('kvctl snapshot status').",
            "This is etcdutl's 'hashkv'; the online hash of running members is 'kvctl endpoint hashkv'."},
            customSynopsis = "kvctl hashkv --data-dir <dir> [--plugin-dir <dir>]",
            footer = {"  kvctl hashkv --data-dir /var/lib/kv", "  kvctl hashkv --data-dir /var/lib/kv --plugin-dir /opt/kv/plugins"})
    static final class HashKV extends CliCommand {
        @Option(names = "--data-dir", required = true, description = "path to the member's data directory")
        Path dataDir;

        @Option(names = "--plugin-dir", description = "directory of engine plug-ins, for a member on a plug-in engine")
        Path pluginDir;

        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("hashkv command accepts no arguments");
            }
            textOnly(this);
            BackendHash h;
            try {
                h = DataDirHash.of(new DataDir(dataDir), locator(pluginDir), Map.of());
            } catch (MigrationException | java.io.UncheckedIOException | BackendException e) {
                throw failed(e);
            }
            printer().line(h.sha256() + ", " + h.buckets() + ", " + h.entries());
        }
    }

    @Command(name = "backend", description = "Storage engine related commands", subcommands = BackendList.class,
            footer = {"  kvctl backend list", "  kvctl backend list --plugin-dir /opt/kv/plugins"})
    static final class Backend implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "list", description = {"Lists the storage engines this kvctl (and kvd beside it) can use",
            "One line per engine: name, version, origin (module path, class path or plug-in path), description."},
            customSynopsis = "kvctl backend list [--plugin-dir <dir>]",
            footer = {"  kvctl backend list", "  kvctl backend list --plugin-dir /opt/kv/plugins"})
    static final class BackendList extends CliCommand {
        @Option(names = "--plugin-dir", description = "also list the engines in this plug-in directory")
        Path pluginDir;

        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("backend list command accepts no arguments");
            }
            textOnly(this);
            for (BackendLocator.Located l : locator(pluginDir).all()) {
                printer().line(l.name() + ", " + l.provider().version() + ", " + l.origin() + ", " + l.provider().description());
            }
        }
    }

    @Command(name = "jbolt", description = "Inspects a jbolt backend file offline", subcommands = {JboltCheck.class, JboltStatsCommand.class},
            footer = {"  kvctl jbolt check /var/lib/kv/member/db-jbolt/jbolt.db", "  kvctl jbolt stats /var/lib/kv/member/db-jbolt"})
    static final class Jbolt implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** The file a jbolt command names: a jbolt file, or a backend directory holding {@code jbolt.db}. */
    static Path jboltFile(List<String> args, String command) {
        if (args.size() != 1) {
            throw CliException.badArgs("jbolt " + command + " expects one argument (the jbolt file)");
        }
        Path p = Path.of(args.get(0));
        if (Files.isDirectory(p)) {
            p = p.resolve("jbolt.db");
        }
        try {
            // JboltDb.open creates an absent or empty file: an inspection must never do that
            if (!Files.isRegularFile(p) || Files.size(p) == 0) {
                throw new CliException(ExitCode.ERROR, "jbolt " + command + ": " + p + " does not exist or is empty");
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "jbolt " + command + ": " + p + ": " + e.getMessage());
        }
        return p;
    }

    /** Opens the file for inspection; only read transactions are used, and a running member's lock refuses it. */
    static JboltDb openJbolt(Path file, String command) throws IOException {
        try {
            return JboltDb.open(file, new JboltOptions(JboltOptions.DEFAULT_PAGE_SIZE, Durability.SYNC));
        } catch (BackendException e) {
            throw new CliException(ExitCode.ERROR, "jbolt " + command + ": " + e.getMessage());
        }
    }

    @Command(name = "check", description = {"Verifies the consistency of a jbolt file",
            "Checks the latest committed state: every page reachable once, key order within and across pages, node shape,",
            "free-list consistency. Prints OK, or each problem and fails. The file must not be open (kvd stopped)."},
            customSynopsis = "kvctl jbolt check <file>",
            footer = {"  kvctl jbolt check /var/lib/kv/member/db-jbolt/jbolt.db", "  kvctl jbolt check /var/lib/kv/member/db-jbolt"})
    static final class JboltCheck extends CliCommand {
        @Override
        void run() throws IOException {
            Path file = jboltFile(args, "check");
            textOnly(this);
            List<String> problems;
            try (JboltDb db = openJbolt(file, "check")) {
                problems = db.check();
            }
            if (problems.isEmpty()) {
                printer().line("OK");
                return;
            }
            problems.forEach(printer()::line);
            printer().flush();
            throw new CliException(ExitCode.ERROR, "jbolt check: " + problems.size() + " problems found in " + file);
        }
    }

    @Command(name = "stats", description = {"Prints the page accounting of a jbolt file",
            "Pages in use, free and pending, tree depth, branch, leaf and overflow pages, leaf fill, buckets and keys",
            "of the latest committed state. The file must not be open (kvd stopped)."},
            customSynopsis = "kvctl jbolt stats <file>",
            footer = {"  kvctl jbolt stats /var/lib/kv/member/db-jbolt/jbolt.db"})
    static final class JboltStatsCommand extends CliCommand {
        @Override
        void run() throws IOException {
            Path file = jboltFile(args, "stats");
            textOnly(this);
            JboltStats s;
            try (JboltDb db = openJbolt(file, "stats")) {
                s = db.stats();
            }
            printer().line("File: " + file);
            printer().line("Page size: " + s.pageSize());
            printer().line("File size: " + s.fileSize() + " (" + GoText.humanBytes(s.fileSize()) + ")");
            printer().line("Transaction id: " + s.txid());
            printer().line("Pages: " + s.pageCount() + " (free " + s.freePages() + ", pending " + s.pendingPages() + ")");
            printer().line("Branch pages: " + s.branchPages());
            printer().line("Leaf pages: " + s.leafPages());
            printer().line("Overflow pages: " + s.overflowPages());
            printer().line("Leaf fill: " + String.format(java.util.Locale.ROOT, "%.1f%%", s.leafFill() * 100));
            printer().line("Tree depth: " + s.depth());
            printer().line("Buckets: " + s.buckets());
            printer().line("Keys: " + s.keys());
        }
    }
}
