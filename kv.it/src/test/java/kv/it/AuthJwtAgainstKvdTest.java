package kv.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import kv.testkit.TestServer;

/** The auth suite with JWT tokens (RS256 keys made by openssl) instead of simple tokens, on kvd. */
class AuthJwtAgainstKvdTest extends AuthContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.KVD;
    }

    @Override
    List<String> authFlags(Path dir) throws IOException {
        return JwtKeys.flags(dir);
    }
}
