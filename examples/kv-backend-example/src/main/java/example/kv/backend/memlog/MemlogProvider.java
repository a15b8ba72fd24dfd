package example.kv.backend.memlog;

import java.io.IOException;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.spi.BackendProvider;

/**
 * The "memlog" engine: the whole store held in memory as a sorted map per bucket, every commit
 * appended to a CRC-framed log (forced for SYNC commits), folded into a checkpoint on
 * {@link Backend#defragment()}. Opening replays checkpoint and log and cuts a torn tail. Suits
 * stores that fit in the heap with room for one copy of the largest bucket a transaction writes to
 * (a write transaction copies each bucket it changes). Takes no options.
 *
 * <p>Stateless and thread-safe, as the SPI asks.
 */
public final class MemlogProvider implements BackendProvider {
    public MemlogProvider() {}

    @Override
    public String name() {
        return "memlog";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public String description() {
        return "memlog: in-memory sorted maps with a checksummed commit log (example third-party plug-in)";
    }

    @Override
    public Backend open(BackendConfig config) throws IOException {
        for (String key : config.options().keySet()) {
            if (key.startsWith("memlog.")) {
                throw new IllegalArgumentException("memlog: unknown option " + key + " (memlog takes no options)");
            }
        }
        return MemlogBackend.open(name(), config);
    }
}
