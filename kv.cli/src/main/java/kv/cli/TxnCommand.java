package kv.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code txn}: reads compares, then success requests, then failure requests from standard input,
 * each block ended by an empty line, and commits them as one transaction.
 */
@Command(name = "txn", description = "Txn processes all the requests in one transaction",
        customSynopsis = "kvctl txn [options]  (reads the transaction from standard input)",
        footer = {"  kvctl txn <<'EOF'", "  mod(\"key1\") > \"0\"", "  val(\"key2\") = \"abc\"", "",
                "  put key1 \"new value\"", "  del key2", "", "  get key1", "", "  EOF", "",
                "Compares: TARGET(\"key\") OP \"value\", TARGET one of c|create, m|mod, ver|version, val|value, lease (hex id);",
                "OP one of =, !=, <, >. Requests: put, get, del with their own flags. With -i, kvctl prompts for each block."})
final class TxnCommand extends CliCommand {
    @Option(names = {"-i", "--interactive"}, arity = "0..1", description = "Input transaction in interactive mode")
    boolean interactive;

    @Override
    void run() throws IOException {
        if (!args.isEmpty()) {
            throw CliException.badArgs("txn command does not accept argument");
        }
        InputStream in = session().in();
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        try (EtcdClient c = connect()) {
            prompt("compares:");
            txn.addAllCompare(readCompares(in));
            prompt("success requests (get, put, del):");
            txn.addAllSuccess(readOps(in));
            prompt("failure requests (get, put, del):");
            txn.addAllFailure(readOps(in));
            TxnResponse resp = c.call(() -> c.kv().txn(txn.build()));
            printer().txn(resp);
        }
    }

    private void prompt(String text) {
        if (interactive) {
            printer().line(text);
            printer().flush();
        }
    }

    /** One line without its newline; a last line without a newline is EOF, as with Go's ReadString. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        throw new CliException(ExitCode.INVALID_INPUT, "EOF");
    }

    private List<Compare> readCompares(InputStream in) throws IOException {
        List<Compare> cmps = new ArrayList<>();
        for (String line = readLine(in).strip(); !line.isEmpty(); line = readLine(in).strip()) {
            cmps.add(parseCompare(line));
        }
        return cmps;
    }

    private List<RequestOp> readOps(InputStream in) throws IOException {
        List<RequestOp> ops = new ArrayList<>();
        for (String line = readLine(in).strip(); !line.isEmpty(); line = readLine(in).strip()) {
            ops.add(parseOp(line));
        }
        return ops;
    }

    RequestOp parseOp(String line) {
        List<String> words = GoQuoted.words(line);
        if (words.size() < 2) {
            throw new CliException(ExitCode.INVALID_INPUT, "invalid txn compare request: " + line);
        }
        String[] rest = words.subList(1, words.size()).toArray(String[]::new);
        try {
            return switch (words.get(0)) {
                case "put" -> RequestOp.newBuilder().setRequestPut(parse(new KvCommands.Put(), rest).request()).build();
                case "get" -> RequestOp.newBuilder().setRequestRange(parse(new KvCommands.Get(), rest).request()).build();
                case "del" -> RequestOp.newBuilder().setRequestDeleteRange(parse(new KvCommands.Del(), rest).request()).build();
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown request");
            };
        } catch (CommandLine.ParameterException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "invalid txn request: " + line);
        }
    }

    private <C extends CliCommand> C parse(C command, String[] words) {
        // etcdctl has buffered all of standard input by now: a put without a value finds it empty
        Kvctl owner = new Kvctl();
        Session s = session();
        owner.session = new Session(java.io.InputStream.nullInputStream(), s.out(), s.err(), s.env(), s.terminal());
        command.owner = owner;
        new CommandLine(command).parseArgs(words);
        return command;
    }

    static Compare parseCompare(String line) {
        int paren = line.indexOf('(');
        if (paren < 0) {
            throw new CliException(ExitCode.INVALID_INPUT, "malformed comparison: " + line);
        }
        String target = line.substring(0, paren);
        // parsed as Go's Sscanf(`%q) %s %q`) does; what it got so far goes into the error, as in etcdctl
        String key = "";
        String op = "";
        String val = "";
        try {
            GoQuoted.Read k = GoQuoted.read(line, paren + 1);
            key = k.value();
            int close = line.indexOf(')', k.end());
            if (close < 0 || !line.substring(k.end(), close).isBlank()) {
                throw new IllegalArgumentException("input does not match format");
            }
            String tail = line.substring(close + 1).stripLeading();
            int space = tail.indexOf(' ');
            op = space < 0 ? tail : tail.substring(0, space);
            if (space < 0) {
                throw new IllegalArgumentException("unexpected EOF");
            }
            val = GoQuoted.read(tail, space).value();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "malformed comparison: " + line + "; got " + target + "(" + kv.cli.output.GoText.quote(key)
                    + ") " + op + " " + kv.cli.output.GoText.quote(val));
        }
        Compare.Builder b = Compare.newBuilder().setKey(KvCommands.bytes(key)).setResult(result(line, op));
        try {
            switch (target) {
                case "ver", "version" -> b.setTarget(Compare.CompareTarget.VERSION).setVersion(GoInts.parseInt(val, 10));
                case "c", "create" -> b.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(GoInts.parseInt(val, 10));
                case "m", "mod" -> b.setTarget(Compare.CompareTarget.MOD).setModRevision(GoInts.parseInt(val, 10));
                case "val", "value" -> b.setTarget(Compare.CompareTarget.VALUE).setValue(KvCommands.bytes(val));
                case "lease" -> b.setTarget(Compare.CompareTarget.LEASE).setLease(GoInts.parseInt(val, 16));
                default -> throw new CliException(ExitCode.INVALID_INPUT, "malformed comparison: " + line + " (unknown target " + target + ")");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "invalid txn compare request: " + line);
        }
        return b.build();
    }

    private static Compare.CompareResult result(String line, String op) {
        return switch (op) {
            case "=", "==" -> Compare.CompareResult.EQUAL;
            case "!=" -> Compare.CompareResult.NOT_EQUAL;
            case ">" -> Compare.CompareResult.GREATER;
            case "<" -> Compare.CompareResult.LESS;
            default -> throw new CliException(ExitCode.INVALID_INPUT, "malformed comparison: " + line + " (unknown op " + op + ")");
        };
    }
}
