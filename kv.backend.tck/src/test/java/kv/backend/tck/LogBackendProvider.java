package kv.backend.tck;

import java.io.IOException;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.spi.BackendProvider;

/**
 * A test-only engine that proves the kit passes a correct engine: TreeMaps in memory, every commit
 * appended to a checksummed log file (fsynced for SYNC commits), replayed on open. Subclasses plant
 * one flaw each, to prove the kit fails an incorrect engine.
 */
public class LogBackendProvider implements BackendProvider {
    /** The one defect a variant of the engine has. */
    enum Flaw {
        NONE,
        /** Keys are ordered as signed bytes (0x80 sorts before 0x00). */
        SIGNED_ORDER,
        /** Writes go straight into the committed state: readers see uncommitted writes, abort undoes nothing. */
        LEAKY_WRITES,
        /** A SYNC commit stays in memory until close or sync: a crash loses acknowledged commits. */
        LAZY_SYNC,
        /** A commit is logged as one record per operation, each fsynced: a crash can leave part of a transaction. */
        TORN_COMMIT,
    }

    private final Flaw flaw;

    public LogBackendProvider() {
        this(Flaw.NONE);
    }

    LogBackendProvider(Flaw flaw) {
        this.flaw = flaw;
    }

    @Override
    public String name() {
        return "tck-log";
    }

    @Override
    public String version() {
        return "test";
    }

    @Override
    public Backend open(BackendConfig config) throws IOException {
        return LogBackend.open(name(), config, flaw);
    }

    /** Variant with {@link Flaw#SIGNED_ORDER}. */
    public static final class SignedOrder extends LogBackendProvider {
        public SignedOrder() {
            super(Flaw.SIGNED_ORDER);
        }
    }

    /** Variant with {@link Flaw#LEAKY_WRITES}. */
    public static final class LeakyWrites extends LogBackendProvider {
        public LeakyWrites() {
            super(Flaw.LEAKY_WRITES);
        }
    }

    /** Variant with {@link Flaw#TORN_COMMIT}. */
    public static final class TornCommit extends LogBackendProvider {
        public TornCommit() {
            super(Flaw.TORN_COMMIT);
        }
    }

    /** Variant with {@link Flaw#LAZY_SYNC}. */
    public static final class LazySync extends LogBackendProvider {
        public LazySync() {
            super(Flaw.LAZY_SYNC);
        }
    }
}
