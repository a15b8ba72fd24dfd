package kv.raft;

import com.google.protobuf.ByteString;

/**
 * The answer to a {@link RawNode#readIndex} request: once the application has applied up to
 * {@code index}, a read carrying {@code requestCtx} is linearizable. Immutable.
 */
public record ReadState(long index, ByteString requestCtx) {
    public ReadState {
        java.util.Objects.requireNonNull(requestCtx, "requestCtx");
    }
}
