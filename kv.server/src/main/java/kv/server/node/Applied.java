package kv.server.node;

/**
 * The outcome of applying one entry: the id of the request it carried (0 for entries no client
 * waits for) and what that client gets, a response message or the exception to fail it with.
 */
public record Applied(long requestId, Object result) {}
