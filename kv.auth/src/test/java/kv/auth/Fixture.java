package kv.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Function;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.Durability;
import kv.backend.WriteTx;

/** A real jbolt backend in a temporary directory, an auth store over it, and a clock the test drives. */
final class Fixture implements AutoCloseable {
    /** The cheapest cost: keeps the tests fast; the cost mapping has its own test. */
    static final AuthConfig CONFIG = new AuthConfig(PasswordHasher.MIN_COST, Duration.ofSeconds(300));

    final Path dir;
    final DrivenClock clock = new DrivenClock();
    Backend backend;
    AuthStore store;

    Fixture(Path dir) {
        this.dir = dir;
        open();
    }

    void open() {
        try {
            backend = BackendLocator.builtIn().find("jbolt")
                    .open(BackendConfig.of(dir).withDurability(Durability.NO_SYNC));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = AuthStore.open(backend, CONFIG, clock);
    }

    /** Closes the backend (after making it durable) and opens store and backend again. */
    void reopen() {
        backend.sync();
        backend.close();
        open();
    }

    /** Runs one apply in its own committed write transaction (aborted when it throws). */
    <T> T apply(Function<WriteTx, T> change) {
        try (WriteTx tx = backend.beginWrite()) {
            T out = change.apply(tx);
            tx.commit();
            return out;
        }
    }

    @Override
    public void close() {
        backend.close();
    }

    static final class DrivenClock implements InstantSource {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }
    }
}
