package kv.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import kv.api.etcdserverpb.MemberAddRequest;
import kv.api.etcdserverpb.MemberListRequest;
import kv.api.etcdserverpb.MemberPromoteRequest;
import kv.api.etcdserverpb.MemberRemoveRequest;
import kv.api.etcdserverpb.MemberUpdateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code member add|remove|update|list|promote}. Member ids are hexadecimal, as in etcdctl. */
@Command(name = "member", description = "Membership related commands",
        subcommands = {MemberCommands.Add.class, MemberCommands.Remove.class, MemberCommands.Update.class, MemberCommands.ListMembers.class,
                MemberCommands.Promote.class},
        footer = {"  kvctl member list -w table", "  kvctl member add infra4 --peer-urls=http://10.0.0.4:2380",
                "  kvctl member add infra5 --learner --peer-urls=http://10.0.0.5:2380", "  kvctl member promote 8e9e05c52164694d",
                "  kvctl member remove 8e9e05c52164694d"})
final class MemberCommands implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static long memberId(List<String> args) {
        if (args.isEmpty()) {
            throw CliException.badArgs("member ID is not provided");
        }
        try {
            return GoInts.parseUint(args.get(0), 16);
        } catch (IllegalArgumentException e) {
            throw CliException.badArgs("bad member ID arg (" + e.getMessage() + "), expecting ID in Hex");
        }
    }

    @Command(name = "add", description = "Adds a member into the cluster", customSynopsis = "kvctl member add <memberName> [options]",
            footer = {"  kvctl member add infra4 --peer-urls=http://10.0.0.4:2380,http://10.0.0.4:2381"})
    static final class Add extends CliCommand {
        @Option(names = "--peer-urls", defaultValue = "", description = "comma separated peer URLs for the new member.")
        String peerUrls;
        @Option(names = "--learner", arity = "0..1", description = "indicates if the new member is raft learner")
        boolean learner;

        @Override
        void run() {
            if (args.isEmpty()) {
                throw CliException.badArgs("member name not provided");
            }
            if (args.size() > 1) {
                StringBuilder ev = new StringBuilder("too many arguments");
                args.stream().filter(s -> s.toLowerCase(Locale.ROOT).startsWith("http"))
                        .forEach(s -> ev.append(", did you mean --peer-urls=").append(s));
                throw CliException.badArgs(ev.toString());
            }
            if (peerUrls.isEmpty()) {
                throw CliException.badArgs("member peer urls not provided");
            }
            MemberAddRequest req = MemberAddRequest.newBuilder().addAllPeerURLs(Arrays.asList(peerUrls.split(","))).setIsLearner(learner).build();
            try (EtcdClient c = connect()) {
                printer().memberAdd(c.call(() -> c.cluster().memberAdd(req)), args.get(0), peerUrls);
            }
        }
    }

    @Command(name = "remove", description = "Removes a member from the cluster", customSynopsis = "kvctl member remove <memberID>",
            footer = "  kvctl member remove 8e9e05c52164694d")
    static final class Remove extends CliCommand {
        @Override
        void run() {
            long id = memberId(args);
            try (EtcdClient c = connect()) {
                printer().memberRemove(id, c.call(() -> c.cluster().memberRemove(MemberRemoveRequest.newBuilder().setID(id).build())));
            }
        }
    }

    @Command(name = "update", description = "Updates a member in the cluster", customSynopsis = "kvctl member update <memberID> [options]",
            footer = "  kvctl member update 8e9e05c52164694d --peer-urls=http://10.0.0.1:2380")
    static final class Update extends CliCommand {
        @Option(names = "--peer-urls", defaultValue = "", description = "comma separated peer URLs for the updated member.")
        String peerUrls;

        @Override
        void run() {
            long id = memberId(args);
            if (peerUrls.isEmpty()) {
                throw CliException.badArgs("member peer urls not provided");
            }
            MemberUpdateRequest req = MemberUpdateRequest.newBuilder().setID(id).addAllPeerURLs(Arrays.asList(peerUrls.split(","))).build();
            try (EtcdClient c = connect()) {
                printer().memberUpdate(id, c.call(() -> c.cluster().memberUpdate(req)));
            }
        }
    }

    @Command(name = "list", description = "Lists all members in the cluster", customSynopsis = "kvctl member list",
            footer = {"  kvctl member list", "  kvctl member list -w table"})
    static final class ListMembers extends CliCommand {
        @Override
        void run() {
            try (EtcdClient c = connect()) {
                printer().memberList(c.call(() -> c.cluster().memberList(MemberListRequest.getDefaultInstance())));
            }
        }
    }

    @Command(name = "promote", description = "Promotes a non-voting member in the cluster", customSynopsis = "kvctl member promote <memberID>",
            footer = "  kvctl member promote 8e9e05c52164694d")
    static final class Promote extends CliCommand {
        @Override
        void run() {
            long id = memberId(args);
            try (EtcdClient c = connect()) {
                printer().memberPromote(id, c.call(() -> c.cluster().memberPromote(MemberPromoteRequest.newBuilder().setID(id).build())));
            }
        }
    }
}
