package kv.cli;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import kv.api.etcdserverpb.CompactionRequest;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.cli.output.KeyRanges;
import kv.cli.output.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The key-value commands: put, get, del and compaction (txn reuses the first three's parsing). */
final class KvCommands {
    private KvCommands() {}

    static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    @Command(name = "put", description = "Puts the given key into the store",
            customSynopsis = "kvctl put [options] <key> <value> (<value> can also be given from stdin)",
            footer = {"  kvctl put foo bar", "  kvctl put foo bar --lease=1234abcd", "  echo bar | kvctl put foo",
                    "  kvctl put foo --ignore-value   (keeps the value, e.g. to attach a lease)", "",
                    "If <value> isn't given as an argument, kvctl reads it from standard input. A value that starts",
                    "with '-' is taken for a flag; put it after '--': kvctl put -- foo -bar"})
    static final class Put extends CliCommand {
        @Option(names = "--lease", defaultValue = "0", description = "lease ID (in hexadecimal) to attach to the key")
        String lease;
        @Option(names = "--prev-kv", arity = "0..1", description = "return the previous key-value pair before modification")
        boolean prevKv;
        @Option(names = "--ignore-value", arity = "0..1", description = "updates the key using its current value")
        boolean ignoreValue;
        @Option(names = "--ignore-lease", arity = "0..1", description = "updates the key using its current lease")
        boolean ignoreLease;

        PutRequest request() {
            String needs = "put command needs 1 argument and input from stdin or 2 arguments";
            if (args.isEmpty()) {
                throw CliException.badArgs(needs);
            }
            if (ignoreValue && args.size() > 1) {
                throw CliException.badArgs("put command needs only 1 argument when 'ignore-value' is set");
            }
            PutRequest.Builder b = PutRequest.newBuilder().setKey(bytes(args.get(0)));
            if (!ignoreValue) {
                b.setValue(bytes(args.size() > 1 ? args.get(1) : stdinValue(needs)));
            }
            long id;
            try {
                id = GoInts.parseInt(lease, 16);
            } catch (IllegalArgumentException e) {
                throw CliException.badArgs("bad lease ID (" + e.getMessage() + "), expecting ID in Hex");
            }
            return b.setLease(id).setPrevKv(prevKv).setIgnoreValue(ignoreValue).setIgnoreLease(ignoreLease).build();
        }

        private String stdinValue(String needs) {
            try {
                String v = new String(session().in().readAllBytes(), StandardCharsets.UTF_8);
                if (v.isEmpty()) {
                    throw CliException.badArgs(needs);
                }
                return v;
            } catch (IOException e) {
                throw CliException.badArgs(needs);
            }
        }

        @Override
        void run() {
            PutRequest req = request();
            try (EtcdClient c = connect()) {
                printer().put(c.call(() -> c.kv().put(req)));
            }
        }
    }

    @Command(name = "get", description = "Gets the key or a range of keys",
            customSynopsis = "kvctl get [options] <key> [range_end]",
            footer = {"  kvctl get foo", "  kvctl get foo foo9          (keys in [foo, foo9))", "  kvctl get --prefix foo",
                    "  kvctl get --from-key ''     (every key)", "  kvctl get foo --rev=3 -w json",
                    "  kvctl get --prefix '' --keys-only --limit=10 --sort-by=MODIFY --order=DESCEND"})
    static final class Get extends CliCommand {
        @Option(names = "--consistency", defaultValue = "l", description = "Linearizable(l) or Serializable(s) (default: ${DEFAULT-VALUE})")
        String consistency;
        @Option(names = "--order", defaultValue = "", description = "Order of results; ASCEND or DESCEND (ASCEND by default)")
        String order;
        @Option(names = "--sort-by", defaultValue = "", description = "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION")
        String sortBy;
        @Option(names = "--limit", defaultValue = "0", description = "Maximum number of results")
        long limit;
        @Option(names = "--prefix", arity = "0..1", description = "Get keys with matching prefix")
        boolean prefix;
        @Option(names = "--from-key", arity = "0..1", description = "Get keys that are greater than or equal to the given key using byte compare")
        boolean fromKey;
        @Option(names = "--rev", defaultValue = "0", description = "Specify the kv revision")
        long rev;
        @Option(names = "--keys-only", arity = "0..1", description = "Get only the keys")
        boolean keysOnly;
        @Option(names = "--count-only", arity = "0..1", description = "Get only the count (fields output only)")
        boolean countOnly;
        @Option(names = "--print-value-only", arity = "0..1", description = "Only write values when using the \"simple\" output format")
        boolean printValueOnly;

        RangeRequest request() {
            if (args.isEmpty()) {
                throw CliException.badArgs("get command needs one argument as key and an optional argument as range_end");
            }
            if (prefix && fromKey) {
                throw CliException.badArgs("`--prefix` and `--from-key` cannot be set at the same time, choose one");
            }
            RangeRequest.Builder b = RangeRequest.newBuilder();
            switch (consistency) {
                case "s" -> b.setSerializable(true);
                case "l" -> { }
                default -> throw new CliException(ExitCode.BAD_FEATURE, "unknown consistency flag " + kv.cli.output.GoText.quote(consistency));
            }
            if (args.size() > 1 && (prefix || fromKey)) {
                throw CliException.badArgs("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            setRange(b, args.get(0), args.size() > 1 ? args.get(1) : null);
            b.setLimit(limit).setRevision(rev > 0 ? rev : 0).setKeysOnly(keysOnly).setCountOnly(countOnly);
            RangeRequest.SortOrder sortOrder = switch (order.toUpperCase(Locale.ROOT)) {
                case "ASCEND" -> RangeRequest.SortOrder.ASCEND;
                case "DESCEND" -> RangeRequest.SortOrder.DESCEND;
                case "" -> RangeRequest.SortOrder.NONE;
                default -> throw new CliException(ExitCode.BAD_FEATURE, "bad sort order " + order);
            };
            RangeRequest.SortTarget target = switch (sortBy.toUpperCase(Locale.ROOT)) {
                case "CREATE" -> RangeRequest.SortTarget.CREATE;
                case "KEY", "" -> RangeRequest.SortTarget.KEY;
                case "MODIFY" -> RangeRequest.SortTarget.MOD;
                case "VALUE" -> RangeRequest.SortTarget.VALUE;
                case "VERSION" -> RangeRequest.SortTarget.VERSION;
                default -> throw new CliException(ExitCode.BAD_FEATURE, "bad sort target " + sortBy);
            };
            // ascending by key is what the server does anyway; asking for it would make it sort everything
            if (target == RangeRequest.SortTarget.KEY && sortOrder == RangeRequest.SortOrder.ASCEND) {
                sortOrder = RangeRequest.SortOrder.NONE;
            }
            return b.setSortOrder(sortOrder).setSortTarget(target).build();
        }

        private void setRange(RangeRequest.Builder b, String key, String end) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            if ((prefix || fromKey) && k.length == 0) {
                b.setKey(ByteString.copyFrom(KeyRanges.ALL)).setRangeEnd(ByteString.copyFrom(KeyRanges.ALL));
            } else if (prefix) {
                b.setKey(ByteString.copyFrom(k)).setRangeEnd(ByteString.copyFrom(KeyRanges.prefixEnd(k)));
            } else if (fromKey) {
                b.setKey(ByteString.copyFrom(k)).setRangeEnd(ByteString.copyFrom(KeyRanges.ALL));
            } else {
                b.setKey(ByteString.copyFrom(k));
                if (end != null) {
                    b.setRangeEnd(bytes(end));
                }
            }
        }

        @Override
        void run() {
            RangeRequest req = request();
            OutputFormat format = global().format();
            try (EtcdClient c = connect()) {
                var resp = c.call(() -> c.kv().range(req));
                if (printValueOnly && format != OutputFormat.SIMPLE) {
                    throw CliException.badArgs("print-value-only is only for `--write-out=simple`");
                }
                if (countOnly && format != OutputFormat.FIELDS) {
                    throw CliException.badArgs("--count-only is only for `--write-out=fields`");
                }
                printer().get(resp, printValueOnly);
            }
        }
    }

    @Command(name = "del", description = "Removes the specified key or range of keys [key, range_end)",
            customSynopsis = "kvctl del [options] <key> [range_end]",
            footer = {"  kvctl del foo", "  kvctl del --prefix foo", "  kvctl del --prev-kv foo foo9", "  kvctl del --from-key a"})
    static final class Del extends CliCommand {
        @Option(names = "--prefix", arity = "0..1", description = "delete keys with matching prefix")
        boolean prefix;
        @Option(names = "--prev-kv", arity = "0..1", description = "return deleted key-value pairs")
        boolean prevKv;
        @Option(names = "--from-key", arity = "0..1", description = "delete keys that are greater than or equal to the given key using byte compare")
        boolean fromKey;

        DeleteRangeRequest request() {
            if (args.isEmpty()) {
                throw CliException.badArgs("del command needs one argument as key and an optional argument as range_end");
            }
            if (prefix && fromKey) {
                throw CliException.badArgs("`--prefix` and `--from-key` cannot be set at the same time, choose one");
            }
            if (args.size() > 1 && (prefix || fromKey)) {
                throw CliException.badArgs("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            byte[] k = args.get(0).getBytes(StandardCharsets.UTF_8);
            DeleteRangeRequest.Builder b = DeleteRangeRequest.newBuilder().setKey(ByteString.copyFrom(k)).setPrevKv(prevKv);
            if ((prefix || fromKey) && k.length == 0) {
                b.setKey(ByteString.copyFrom(KeyRanges.ALL)).setRangeEnd(ByteString.copyFrom(KeyRanges.ALL));
            } else if (prefix) {
                b.setRangeEnd(ByteString.copyFrom(KeyRanges.prefixEnd(k)));
            } else if (fromKey) {
                b.setRangeEnd(ByteString.copyFrom(KeyRanges.ALL));
            } else if (args.size() > 1) {
                b.setRangeEnd(bytes(args.get(1)));
            }
            return b.build();
        }

        @Override
        void run() {
            DeleteRangeRequest req = request();
            try (EtcdClient c = connect()) {
                printer().del(c.call(() -> c.kv().deleteRange(req)));
            }
        }
    }

    @Command(name = "compaction", description = "Compacts the event history in etcd",
            customSynopsis = "kvctl compaction [options] <revision>",
            footer = {"  kvctl compaction 1234", "  kvctl compaction --physical 1234   (returns once the space is reclaimed)"})
    static final class Compaction extends CliCommand {
        @Option(names = "--physical", arity = "0..1", description = "'true' to wait for compaction to physically remove all old revisions")
        boolean physical;

        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("compaction command needs 1 argument");
            }
            long rev;
            try {
                rev = GoInts.parseInt(args.get(0), 10);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.ERROR, e.getMessage());
            }
            try (EtcdClient c = connect()) {
                c.call(() -> c.kv().compact(CompactionRequest.newBuilder().setRevision(rev).setPhysical(physical).build()));
                printer().line("compacted revision " + rev);
            }
        }
    }
}
