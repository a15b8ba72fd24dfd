package kv.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kv.api.authpb.Permission;
import kv.api.authpb.Role;
import kv.api.authpb.User;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage of request ranges by the union of a user's grants, table-driven. Grants are written
 * {@code "TYPE key end"} (end {@code ""}: single key, {@code "\0"}: from key on), one role per list.
 */
class RangePermissionsTest {
    private static final boolean READ = false;
    private static final boolean WRITE = true;

    static Stream<Arguments> cases() {
        return Stream.of(
                // single key
                c("single key granted", roles(List.of("READ a ")), READ, "a", "", true),
                c("single key: another key", roles(List.of("READ a ")), READ, "b", "", false),
                c("single key: a longer key", roles(List.of("READ a ")), READ, "ab", "", false),
                c("single key: range [a, a\\0) is the key", roles(List.of("READ a ")), READ, "a", "a\0", true),
                c("single key: range [a, b) is more", roles(List.of("READ a ")), READ, "a", "b", false),
                // prefix (etcd's --prefix: [p, p+1))
                c("prefix: key inside", roles(List.of("READ foo/ foo0")), READ, "foo/bar", "", true),
                c("prefix: the whole prefix", roles(List.of("READ foo/ foo0")), READ, "foo/", "foo0", true),
                c("prefix: a sub-range", roles(List.of("READ foo/ foo0")), READ, "foo/a", "foo/b", true),
                c("prefix: past the end", roles(List.of("READ foo/ foo0")), READ, "foo/", "foo1", false),
                c("prefix: the end key itself", roles(List.of("READ foo/ foo0")), READ, "foo0", "", false),
                c("prefix: before the start", roles(List.of("READ foo/ foo0")), READ, "foo", "", false),
                c("prefix: to infinity", roles(List.of("READ foo/ foo0")), READ, "foo/", "\0", false),
                // from key
                c("from key: a later key", roles(List.of("READ m \0")), READ, "zzz", "", true),
                c("from key: to infinity", roles(List.of("READ m \0")), READ, "m", "\0", true),
                c("from key: a later range", roles(List.of("READ m \0")), READ, "n", "\u00ff\u00ff", true),
                c("from key: an earlier key", roles(List.of("READ m \0")), READ, "l", "", false),
                c("all keys", roles(List.of("READ  \0")), READ, "", "\0", true),
                c("all keys: any key", roles(List.of("READ  \0")), READ, "anything", "", true),
                // union of overlapping and adjacent grants, across roles
                c("overlap in one role", roles(List.of("READ a c", "READ b e")), READ, "a", "e", true),
                c("adjacent across roles", roles(List.of("READ a c"), List.of("READ c e")), READ, "a", "e", true),
                c("point joins ranges", roles(List.of("READ a c", "READ c ", "READ c\0 e")), READ, "a", "e", true),
                c("gap between grants", roles(List.of("READ a c", "READ d e")), READ, "a", "e", false),
                c("gap of one key", roles(List.of("READ a c", "READ c\0 e")), READ, "a", "e", false),
                c("nested grant", roles(List.of("READ a z", "READ b c")), READ, "x", "y", true),
                c("range then from-key", roles(List.of("READ a c", "READ b \0")), READ, "a", "\0", true),
                // READ, WRITE, READWRITE
                c("READ does not write", roles(List.of("READ a ")), WRITE, "a", "", false),
                c("WRITE does not read", roles(List.of("WRITE a ")), READ, "a", "", false),
                c("WRITE writes", roles(List.of("WRITE a ")), WRITE, "a", "", true),
                c("READWRITE reads", roles(List.of("READWRITE a b")), READ, "a", "b", true),
                c("READWRITE writes", roles(List.of("READWRITE a b")), WRITE, "a", "b", true),
                c("READ and WRITE grants do not join", roles(List.of("READ a c", "WRITE c e")), READ, "a", "e", false),
                c("READWRITE joins READ", roles(List.of("READ a c", "READWRITE c e")), READ, "a", "e", true),
                c("READWRITE joins WRITE", roles(List.of("WRITE a c"), List.of("READWRITE c e")), WRITE, "a", "e", true),
                // nothing granted; a role the user has that does not exist
                c("no roles", roles(), READ, "a", "", false),
                c("missing role grants nothing", Map.of("ghost", List.of()), READ, "a", "", false));
    }

    private static Arguments c(String name, Map<String, List<String>> roles, boolean write, String key, String end,
            boolean permitted) {
        return Arguments.of(name, roles, write, key, end, permitted);
    }

    /** One role per list, named r0, r1, ... */
    @SafeVarargs
    private static Map<String, List<String>> roles(List<String>... grants) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < grants.length; i++) {
            m.put("r" + i, grants[i]);
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void coverage(String name, Map<String, List<String>> grants, boolean write, String key, String end,
            boolean permitted) {
        User.Builder user = User.newBuilder().setName(ByteString.copyFromUtf8("u"));
        Map<String, Role> roles = new HashMap<>();
        grants.forEach((roleName, perms) -> {
            user.addRoles(roleName);
            if (roleName.equals("ghost")) {
                return;
            }
            Role.Builder role = Role.newBuilder().setName(ByteString.copyFromUtf8(roleName));
            for (String g : perms) {
                String[] p = g.split(" ", -1);
                role.addKeyPermission(Permission.newBuilder().setPermType(Permission.Type.valueOf(p[0]))
                        .setKey(bytes(p[1])).setRangeEnd(bytes(p[2])));
            }
            roles.put(roleName, role.build());
        });
        RangePermissions perms = RangePermissions.of(user.build(), roles);
        assertEquals(permitted, perms.permits(write, bytes(key).toByteArray(), bytes(end).toByteArray()));
    }

    /** Strings as Latin-1 so that "\u00ff" is the byte 0xff. */
    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
