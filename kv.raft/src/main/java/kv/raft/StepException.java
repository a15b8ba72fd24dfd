package kv.raft;

/** A message handed to {@link RawNode#step} that it must not receive (a local message, an unknown peer). */
public final class StepException extends RaftException {
    StepException(String message) {
        super(message);
    }
}
