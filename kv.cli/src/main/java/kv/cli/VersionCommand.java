package kv.cli;

import kv.api.KvVersion;
import picocli.CommandLine.Command;

/** {@code version}: the client's version and the etcd API version it speaks. */
@Command(name = "version", description = "Prints the version of kvctl", customSynopsis = "kvctl version",
        footer = {"  kvctl version"})
final class VersionCommand extends CliCommand {
    @Override
    void run() {
        printer().line("kvctl version: " + KvVersion.KV);
        printer().line("API version: " + KvVersion.ETCD_API);
    }
}
