package kv.server;

import java.io.PrintStream;
import kv.api.KvVersion;

/** Entry point of {@code kvd}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        for (String a : args) {
            if (a.equals("--version") || a.equals("-version")) {
                out.println("kvd Version: " + KvVersion.KV);
                out.println("etcd API Version: " + KvVersion.ETCD_API);
                out.println("Java Version: " + Runtime.version());
                return 0;
            }
        }
        err.println("kvd: the server is not assembled yet in this build; only --version works");
        return 2;
    }
}
