package kv.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import kv.auth.AuthException;
import kv.auth.AuthInfo;
import kv.auth.AuthStore;

/**
 * Turns the token an etcd client sends (metadata {@code token}, or {@code authorization} from the
 * gateway) into the {@link Caller} of the call. A token that is unknown or expired fails the call
 * with etcd's "invalid auth token" at once; no token leaves the caller empty (requests then fail
 * with "user name is empty" where auth is enabled).
 */
public final class AuthInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AuthStore auth;

    public AuthInterceptor(AuthStore auth) {
        this.auth = auth;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String token = headers.get(TOKEN);
        if (token == null) {
            token = headers.get(AUTHORIZATION);
        }
        if (token == null || token.isEmpty() || !auth.isEnabled()) {
            return next.startCall(call, headers);
        }
        AuthInfo who;
        try {
            who = auth.authInfo(token);
        } catch (AuthException e) {
            call.close(Status.fromCode(e.error().code()).withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, who), call, headers, next);
    }
}
