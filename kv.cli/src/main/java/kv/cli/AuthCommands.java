package kv.cli;

import com.google.protobuf.ByteString;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import kv.api.authpb.Permission;
import kv.api.authpb.UserAddOptions;
import kv.api.etcdserverpb.AuthDisableRequest;
import kv.api.etcdserverpb.AuthEnableRequest;
import kv.api.etcdserverpb.AuthRoleAddRequest;
import kv.api.etcdserverpb.AuthRoleDeleteRequest;
import kv.api.etcdserverpb.AuthRoleGetRequest;
import kv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import kv.api.etcdserverpb.AuthRoleListRequest;
import kv.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import kv.api.etcdserverpb.AuthUserAddRequest;
import kv.api.etcdserverpb.AuthUserChangePasswordRequest;
import kv.api.etcdserverpb.AuthUserDeleteRequest;
import kv.api.etcdserverpb.AuthUserGetRequest;
import kv.api.etcdserverpb.AuthUserGetResponse;
import kv.api.etcdserverpb.AuthUserGrantRoleRequest;
import kv.api.etcdserverpb.AuthUserListRequest;
import kv.api.etcdserverpb.AuthUserRevokeRoleRequest;
import kv.cli.output.KeyRanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code auth enable|disable}, {@code user ...} and {@code role ...}. */
final class AuthCommands {
    private AuthCommands() {}

    /** A group command run without a subcommand shows its help, as cobra does. */
    abstract static class Group implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "auth", description = "Enable or disable authentication", subcommands = {AuthEnable.class, AuthDisable.class},
            footer = {"  kvctl user add root:secret && kvctl user grant-role root root", "  kvctl auth enable",
                    "  kvctl --user root:secret auth disable"})
    static final class Auth extends Group {}

    @Command(name = "enable", description = "Enables authentication", customSynopsis = "kvctl auth enable", footer = "  kvctl auth enable")
    static final class AuthEnable extends CliCommand {
        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("auth enable command does not accept any arguments");
            }
            try (EtcdClient c = connect()) {
                while (true) {
                    try {
                        c.auth().authEnable(AuthEnableRequest.getDefaultInstance());
                        break;
                    } catch (io.grpc.StatusRuntimeException e) {
                        // like etcdctl: create the root role on the way if it is the only thing missing
                        if (!EtcdClient.describe(e.getStatus()).equals("etcdserver: root user does not have root role")) {
                            throw new CliException(ExitCode.ERROR, EtcdClient.describe(e.getStatus()));
                        }
                        c.call(() -> c.auth().roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build()));
                        c.call(() -> c.auth().userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build()));
                    }
                }
                printer().line("Authentication Enabled");
            }
        }
    }

    @Command(name = "disable", description = "Disables authentication", customSynopsis = "kvctl auth disable", footer = "  kvctl --user root auth disable")
    static final class AuthDisable extends CliCommand {
        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("auth disable command does not accept any arguments");
            }
            try (EtcdClient c = connect()) {
                c.call(() -> c.auth().authDisable(AuthDisableRequest.getDefaultInstance()));
                printer().line("Authentication Disabled");
            }
        }
    }

    @Command(name = "user", description = "User related commands",
            subcommands = {UserAdd.class, UserDelete.class, UserGet.class, UserList.class, UserPasswd.class, UserGrantRole.class, UserRevokeRole.class},
            footer = {"  kvctl user add alice:secret", "  kvctl user grant-role alice reader", "  kvctl user get alice --detail", "  kvctl user list"})
    static final class User extends Group {}

    /** Reads a new password: from the terminal twice, or (with --interactive=false) one word from standard input. */
    static String readPassword(CliCommand command, String user, boolean interactive) {
        if (!interactive) {
            try {
                String in = new String(command.session().in().readAllBytes(), StandardCharsets.UTF_8).strip();
                return in.split("\\s+", 2)[0];
            } catch (IOException e) {
                throw CliException.badArgs("failed to ask password: " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) {
            throw CliException.badArgs("failed to ask password: no terminal (use name:password, --new-user-password or --interactive=false)");
        }
        char[] first = console.readPassword("Password of %s: ", user);
        if (first == null || first.length == 0) {
            throw CliException.badArgs("empty password");
        }
        char[] again = console.readPassword("Type password of %s again for confirmation: ", user);
        if (again == null || !new String(first).equals(new String(again))) {
            throw CliException.badArgs("given passwords are different");
        }
        return new String(first);
    }

    @Command(name = "add", description = "Adds a new user", customSynopsis = "kvctl user add <user name or user:password> [options]",
            footer = {"  kvctl user add alice:secret", "  kvctl user add alice --new-user-password=secret",
                    "  echo secret | kvctl user add alice --interactive=false", "  kvctl user add cn-user --no-password"})
    static final class UserAdd extends CliCommand {
        @Option(names = "--interactive", arity = "0..1", defaultValue = "true", description = "Read password from stdin instead of interactive terminal")
        boolean interactive;
        @Option(names = "--new-user-password", defaultValue = "", description = "Supply password from the command line flag")
        String newPassword;
        @Option(names = "--no-password", arity = "0..1", description = "Create a user without password (CN based auth only)")
        boolean noPassword;

        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("user add command requires user name as its argument");
            }
            String user = args.get(0);
            String password = "";
            if (!noPassword) {
                if (!newPassword.isEmpty()) {
                    password = newPassword;
                } else if (user.contains(":")) {
                    password = user.substring(user.indexOf(':') + 1);
                    user = user.substring(0, user.indexOf(':'));
                    if (user.isEmpty()) {
                        throw CliException.badArgs("empty user name is not allowed");
                    }
                } else {
                    password = readPassword(this, user, interactive);
                }
            }
            AuthUserAddRequest req = AuthUserAddRequest.newBuilder().setName(user).setPassword(password)
                    .setOptions(UserAddOptions.newBuilder().setNoPassword(noPassword)).build();
            String name = user;
            try (EtcdClient c = connect()) {
                printer().userAdd(name, c.call(() -> c.auth().userAdd(req)));
            }
        }
    }

    @Command(name = "delete", description = "Deletes a user", customSynopsis = "kvctl user delete <user name>", footer = "  kvctl user delete alice")
    static final class UserDelete extends CliCommand {
        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("user delete command requires user name as its argument");
            }
            try (EtcdClient c = connect()) {
                printer().userDelete(args.get(0), c.call(() -> c.auth().userDelete(AuthUserDeleteRequest.newBuilder().setName(args.get(0)).build())));
            }
        }
    }

    @Command(name = "get", description = "Gets detailed information of a user", customSynopsis = "kvctl user get <user name> [options]",
            footer = {"  kvctl user get alice", "  kvctl user get alice --detail"})
    static final class UserGet extends CliCommand {
        @Option(names = "--detail", arity = "0..1", description = "Show permissions of roles granted to the user")
        boolean detail;

        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("user get command requires user name as its argument");
            }
            String name = args.get(0);
            try (EtcdClient c = connect()) {
                AuthUserGetResponse r = c.call(() -> c.auth().userGet(AuthUserGetRequest.newBuilder().setName(name).build()));
                if (!detail) {
                    printer().userGet(name, r);
                    return;
                }
                printer().line("User: " + name);
                for (String role : r.getRolesList()) {
                    printer().line("");
                    printer().roleGet(role, c.call(() -> c.auth().roleGet(AuthRoleGetRequest.newBuilder().setRole(role).build())));
                }
            }
        }
    }

    @Command(name = "list", description = "Lists all users", customSynopsis = "kvctl user list", footer = "  kvctl user list")
    static final class UserList extends CliCommand {
        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("user list command requires no arguments");
            }
            try (EtcdClient c = connect()) {
                printer().userList(c.call(() -> c.auth().userList(AuthUserListRequest.getDefaultInstance())));
            }
        }
    }

    @Command(name = "passwd", description = "Changes password of user", customSynopsis = "kvctl user passwd <user name> [options]",
            footer = {"  kvctl user passwd alice", "  echo newsecret | kvctl user passwd alice --interactive=false"})
    static final class UserPasswd extends CliCommand {
        @Option(names = "--interactive", arity = "0..1", defaultValue = "true", description = "If true, read password from stdin instead of interactive terminal")
        boolean interactive;

        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("user passwd command requires user name as its argument");
            }
            String password = readPassword(this, args.get(0), interactive);
            try (EtcdClient c = connect()) {
                printer().userChangePassword(c.call(() -> c.auth().userChangePassword(
                        AuthUserChangePasswordRequest.newBuilder().setName(args.get(0)).setPassword(password).build())));
            }
        }
    }

    @Command(name = "grant-role", description = "Grants a role to a user", customSynopsis = "kvctl user grant-role <user name> <role name>",
            footer = "  kvctl user grant-role alice reader")
    static final class UserGrantRole extends CliCommand {
        @Override
        void run() {
            if (args.size() != 2) {
                throw CliException.badArgs("user grant command requires user name and role name as its argument");
            }
            try (EtcdClient c = connect()) {
                printer().userGrantRole(args.get(0), args.get(1), c.call(() -> c.auth().userGrantRole(
                        AuthUserGrantRoleRequest.newBuilder().setUser(args.get(0)).setRole(args.get(1)).build())));
            }
        }
    }

    @Command(name = "revoke-role", description = "Revokes a role from a user", customSynopsis = "kvctl user revoke-role <user name> <role name>",
            footer = "  kvctl user revoke-role alice reader")
    static final class UserRevokeRole extends CliCommand {
        @Override
        void run() {
            if (args.size() != 2) {
                throw CliException.badArgs("user revoke-role requires user name and role name as its argument");
            }
            try (EtcdClient c = connect()) {
                printer().userRevokeRole(args.get(0), args.get(1), c.call(() -> c.auth().userRevokeRole(
                        AuthUserRevokeRoleRequest.newBuilder().setName(args.get(0)).setRole(args.get(1)).build())));
            }
        }
    }

    @Command(name = "role", description = "Role related commands",
            subcommands = {RoleAdd.class, RoleDelete.class, RoleGet.class, RoleList.class, RoleGrant.class, RoleRevoke.class},
            footer = {"  kvctl role add reader", "  kvctl role grant-permission reader read --prefix /app/", "  kvctl role get reader"})
    static final class Role extends Group {}

    @Command(name = "add", description = "Adds a new role", customSynopsis = "kvctl role add <role name>", footer = "  kvctl role add reader")
    static final class RoleAdd extends CliCommand {
        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("role add command requires role name as its argument");
            }
            try (EtcdClient c = connect()) {
                printer().roleAdd(args.get(0), c.call(() -> c.auth().roleAdd(AuthRoleAddRequest.newBuilder().setName(args.get(0)).build())));
            }
        }
    }

    @Command(name = "delete", description = "Deletes a role", customSynopsis = "kvctl role delete <role name>", footer = "  kvctl role delete reader")
    static final class RoleDelete extends CliCommand {
        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("role delete command requires role name as its argument");
            }
            try (EtcdClient c = connect()) {
                printer().roleDelete(args.get(0), c.call(() -> c.auth().roleDelete(AuthRoleDeleteRequest.newBuilder().setRole(args.get(0)).build())));
            }
        }
    }

    @Command(name = "get", description = "Gets detailed information of a role", customSynopsis = "kvctl role get <role name>", footer = "  kvctl role get reader")
    static final class RoleGet extends CliCommand {
        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("role get command requires role name as its argument");
            }
            try (EtcdClient c = connect()) {
                printer().roleGet(args.get(0), c.call(() -> c.auth().roleGet(AuthRoleGetRequest.newBuilder().setRole(args.get(0)).build())));
            }
        }
    }

    @Command(name = "list", description = "Lists all roles", customSynopsis = "kvctl role list", footer = "  kvctl role list")
    static final class RoleList extends CliCommand {
        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("role list command requires no arguments");
            }
            try (EtcdClient c = connect()) {
                printer().roleList(c.call(() -> c.auth().roleList(AuthRoleListRequest.getDefaultInstance())));
            }
        }
    }

    /** The key range {key, end} a permission covers, as etcdctl derives it from the key, the optional end and the flags. */
    static byte[][] permRange(List<String> keyArgs, boolean prefix, boolean fromKey) {
        byte[] key = keyArgs.get(0).getBytes(StandardCharsets.UTF_8);
        byte[] none = new byte[0];
        if (prefix && fromKey && (key.length == 0 || keyArgs.size() == 1)) {
            throw CliException.badArgs("--from-key and --prefix flags are mutually exclusive");
        }
        if (key.length == 0) {
            // an empty key means the whole key space: ["\0", "\0") is open-ended on the server
            return new byte[][] {KeyRanges.ALL, prefix || fromKey ? KeyRanges.ALL : none};
        }
        if (keyArgs.size() == 1) {
            return new byte[][] {key, prefix ? KeyRanges.prefixEnd(key) : fromKey ? KeyRanges.ALL : none};
        }
        if (prefix) {
            throw CliException.badArgs("unexpected endkey argument with --prefix flag");
        }
        if (fromKey) {
            throw CliException.badArgs("unexpected endkey argument with --from-key flag");
        }
        return new byte[][] {key, keyArgs.get(1).getBytes(StandardCharsets.UTF_8)};
    }

    @Command(name = "grant-permission", description = "Grants a key to a role",
            customSynopsis = "kvctl role grant-permission [options] <role name> <permission type> <key> [endkey]",
            footer = {"  kvctl role grant-permission reader read /app/config", "  kvctl role grant-permission writer readwrite --prefix /app/",
                    "  kvctl role grant-permission admin write --from-key ''", "", "<permission type> is read, write or readwrite."})
    static final class RoleGrant extends CliCommand {
        @Option(names = "--prefix", arity = "0..1", description = "grant a prefix permission")
        boolean prefix;
        @Option(names = "--from-key", arity = "0..1", description = "grant a permission of keys that are greater than or equal to the given key using byte compare")
        boolean fromKey;

        @Override
        void run() {
            if (args.size() < 3) {
                throw CliException.badArgs("role grant command requires role name, permission type, and key [endkey] as its argument");
            }
            Permission.Type type;
            try {
                type = Permission.Type.valueOf(args.get(1).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw CliException.badArgs("invalid permission type: " + args.get(1));
            }
            byte[][] range = permRange(args.subList(2, args.size()), prefix, fromKey);
            Permission perm = Permission.newBuilder().setPermType(type).setKey(ByteString.copyFrom(range[0]))
                    .setRangeEnd(ByteString.copyFrom(range[1])).build();
            try (EtcdClient c = connect()) {
                printer().roleGrantPermission(args.get(0), c.call(() -> c.auth().roleGrantPermission(
                        AuthRoleGrantPermissionRequest.newBuilder().setName(args.get(0)).setPerm(perm).build())));
            }
        }
    }

    @Command(name = "revoke-permission", description = "Revokes a key from a role",
            customSynopsis = "kvctl role revoke-permission [options] <role name> <key> [endkey]",
            footer = {"  kvctl role revoke-permission reader /app/config", "  kvctl role revoke-permission writer --prefix /app/"})
    static final class RoleRevoke extends CliCommand {
        @Option(names = "--prefix", arity = "0..1", description = "revoke a prefix permission")
        boolean prefix;
        @Option(names = "--from-key", arity = "0..1", description = "revoke a permission of keys that are greater than or equal to the given key using byte compare")
        boolean fromKey;

        @Override
        void run() {
            if (args.size() < 2) {
                throw CliException.badArgs("role revoke-permission command requires role name and key [endkey] as its argument");
            }
            byte[][] range = permRange(args.subList(1, args.size()), prefix, fromKey);
            String end = new String(range[1], StandardCharsets.UTF_8);
            try (EtcdClient c = connect()) {
                printer().roleRevokePermission(args.get(0), args.get(1), end, c.call(() -> c.auth().roleRevokePermission(
                        AuthRoleRevokePermissionRequest.newBuilder().setRole(args.get(0)).setKey(ByteString.copyFrom(range[0]))
                                .setRangeEnd(ByteString.copyFrom(range[1])).build())));
            }
        }
    }
}
