package kv.server.auth;

import io.grpc.Context;
import kv.auth.AuthInfo;

/**
 * Who is calling, as the auth interceptor established it from the request's token: carried in the
 * gRPC {@link Context} of the call (and of the futures it starts).
 */
public final class Caller {
    static final Context.Key<AuthInfo> KEY = Context.key("kv-auth-info");

    private Caller() {}

    /** The caller of the current gRPC call, or {@code null} when it sent no token. */
    public static AuthInfo current() {
        return KEY.get();
    }
}
