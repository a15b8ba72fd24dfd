package kv.auth;

import io.grpc.Status;

/**
 * The expected failures of the auth store, each with etcd's client-visible message and the gRPC code
 * etcd's {@code rpctypes} maps it to, so the server can translate an {@link AuthException} in its one
 * error table without a second copy of the strings.
 */
public enum EtcdAuthError {
    ROOT_USER_NOT_EXIST("etcdserver: root user does not exist", Status.Code.FAILED_PRECONDITION),
    ROOT_ROLE_NOT_EXIST("etcdserver: root user does not have root role", Status.Code.FAILED_PRECONDITION),
    USER_ALREADY_EXIST("etcdserver: user name already exists", Status.Code.FAILED_PRECONDITION),
    USER_EMPTY("etcdserver: user name is empty", Status.Code.INVALID_ARGUMENT),
    USER_NOT_FOUND("etcdserver: user name not found", Status.Code.FAILED_PRECONDITION),
    ROLE_ALREADY_EXIST("etcdserver: role name already exists", Status.Code.FAILED_PRECONDITION),
    ROLE_NOT_FOUND("etcdserver: role name not found", Status.Code.FAILED_PRECONDITION),
    ROLE_EMPTY("etcdserver: role name is empty", Status.Code.INVALID_ARGUMENT),
    AUTH_FAILED("etcdserver: authentication failed, invalid user ID or password", Status.Code.INVALID_ARGUMENT),
    NO_PASSWORD_USER("etcdserver: authentication failed, password was given for no password user",
            Status.Code.INVALID_ARGUMENT),
    PERMISSION_DENIED("etcdserver: permission denied", Status.Code.PERMISSION_DENIED),
    ROLE_NOT_GRANTED("etcdserver: role is not granted to the user", Status.Code.FAILED_PRECONDITION),
    PERMISSION_NOT_GRANTED("etcdserver: permission is not granted to the role", Status.Code.FAILED_PRECONDITION),
    AUTH_NOT_ENABLED("etcdserver: authentication is not enabled", Status.Code.FAILED_PRECONDITION),
    INVALID_AUTH_TOKEN("etcdserver: invalid auth token", Status.Code.UNAUTHENTICATED),
    INVALID_AUTH_MGMT("etcdserver: invalid auth management", Status.Code.INVALID_ARGUMENT),
    AUTH_OLD_REVISION("etcdserver: revision of auth store is old", Status.Code.INVALID_ARGUMENT);

    private final String message;
    private final Status.Code code;

    EtcdAuthError(String message, Status.Code code) {
        this.message = message;
        this.code = code;
    }

    /** etcd's exact client-visible message. */
    public String message() {
        return message;
    }

    /** The gRPC status code etcd answers this error with. */
    public Status.Code code() {
        return code;
    }
}
