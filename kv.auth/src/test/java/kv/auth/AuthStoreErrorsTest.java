package kv.auth;

import static kv.auth.EtcdAuthError.*;
import static kv.auth.Requests.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import kv.api.authpb.Permission;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every change's expected failures, table-driven: after the setup steps, the step fails with etcd's
 * error and message, leaves the auth revision where it was and writes nothing into the backend.
 */
class AuthStoreErrorsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        Op[] root = rootReady();
        return Stream.of(
                c("enable without root user", List.of(), enable(), ROOT_USER_NOT_EXIST),
                c("enable with root lacking root role", List.of(userAdd("root", "pw")), enable(), ROOT_ROLE_NOT_EXIST),
                c("enable with root having only another role",
                        List.of(userAdd("root", "pw"), roleAdd("r"), grantRole("root", "r")), enable(),
                        ROOT_ROLE_NOT_EXIST),
                c("user add empty name", List.of(), userAdd("", "pw"), USER_EMPTY),
                c("user add twice", List.of(userAdd("a", "pw")), userAdd("a", "other"), USER_ALREADY_EXIST),
                c("no-password user add twice", List.of(userAddNoPassword("a")), userAddNoPassword("a"),
                        USER_ALREADY_EXIST),
                c("user delete unknown", List.of(), userDelete("a"), USER_NOT_FOUND),
                c("user delete root while enabled", List.of(root[0], root[1], enable()), userDelete("root"),
                        INVALID_AUTH_MGMT),
                c("change password of unknown", List.of(), changePassword("a", "pw"), USER_NOT_FOUND),
                c("change password of no-password user", List.of(userAddNoPassword("a")),
                        changePassword("a", "pw"), NO_PASSWORD_USER),
                c("grant role to unknown user", List.of(roleAdd("r")), grantRole("a", "r"), USER_NOT_FOUND),
                c("grant unknown role", List.of(userAdd("a", "pw")), grantRole("a", "r"), ROLE_NOT_FOUND),
                c("revoke role of unknown user", List.of(), revokeRole("a", "r"), USER_NOT_FOUND),
                c("revoke role not granted", List.of(userAdd("a", "pw"), roleAdd("r")), revokeRole("a", "r"),
                        ROLE_NOT_GRANTED),
                c("revoke root's root role while enabled", List.of(root[0], root[1], enable()),
                        revokeRole("root", "root"), INVALID_AUTH_MGMT),
                c("role add empty name", List.of(), roleAdd(""), ROLE_EMPTY),
                c("role add twice", List.of(roleAdd("r")), roleAdd("r"), ROLE_ALREADY_EXIST),
                c("role delete unknown", List.of(), roleDelete("r"), ROLE_NOT_FOUND),
                c("role delete root while enabled", List.of(root[0], root[1], roleAdd("root"), enable()),
                        roleDelete("root"), INVALID_AUTH_MGMT),
                c("grant permission to unknown role", List.of(),
                        grant("r", Permission.Type.READ, "k", ""), ROLE_NOT_FOUND),
                c("revoke permission of unknown role", List.of(), revoke("r", "k", ""), ROLE_NOT_FOUND),
                c("revoke permission never granted", List.of(roleAdd("r")), revoke("r", "k", ""),
                        PERMISSION_NOT_GRANTED),
                c("revoke permission with another range end",
                        List.of(roleAdd("r"), grant("r", Permission.Type.READ, "k", "l")), revoke("r", "k", ""),
                        PERMISSION_NOT_GRANTED),
                c("revoke permission on another key",
                        List.of(roleAdd("r"), grant("r", Permission.Type.READ, "k", "")), revoke("r", "j", ""),
                        PERMISSION_NOT_GRANTED));
    }

    private static Arguments c(String name, List<Op> setup, Op op, EtcdAuthError expected) {
        return Arguments.of(name, setup, op, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithEtcdErrorAndChangesNothing(String name, List<Op> setup, Op op, EtcdAuthError expected) {
        try (Fixture f = new Fixture(dir)) {
            for (Op step : setup) {
                f.apply(tx -> step.apply(f.store, tx));
            }
            long revision = f.store.revision();
            byte[] before = dump(f);
            AuthException e;
            try (WriteTx tx = f.backend.beginWrite()) {
                e = assertThrows(AuthException.class, () -> op.apply(f.store, tx));
                tx.commit(); // whatever the failed change might have written would now be visible
            }
            assertEquals(expected, e.error());
            assertEquals(expected.message(), e.getMessage());
            assertEquals(revision, f.store.revision(), "a failed change must not bump the revision");
            assertArrayEquals(before, dump(f), "a failed change must write nothing");
            f.reopen();
            assertEquals(revision, f.store.revision());
        }
    }

    /** Every auth bucket's entries, concatenated (enough to see any write). */
    static byte[] dump(Fixture f) {
        var out = new java.io.ByteArrayOutputStream();
        try (ReadTx tx = f.backend.beginRead()) {
            for (String b : List.of(AuthBuckets.AUTH, AuthBuckets.USERS, AuthBuckets.ROLES)) {
                if (tx.hasBucket(b)) {
                    tx.scan(b, null, null, (k, v) -> {
                        out.writeBytes(k);
                        out.writeBytes(v);
                        return true;
                    });
                }
            }
        }
        return out.toByteArray();
    }
}
