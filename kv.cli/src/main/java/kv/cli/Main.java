package kv.cli;

import java.io.PrintStream;
import kv.api.KvVersion;

/** Entry point of {@code kvctl}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("version")) {
            out.println("kvctl version: " + KvVersion.KV);
            out.println("API version: " + KvVersion.ETCD_API);
            return 0;
        }
        err.println("Error: unknown command; this build of kvctl knows: version");
        return 1;
    }
}
