package kv.backend.jbolt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import kv.backend.Backend;
import kv.backend.jbolt.internal.JboltBackend;
import kv.backend.spi.BackendProvider;
import kv.backend.tck.BackendContract;

/** The whole backend contract against jbolt, with {@link JboltDb#check()} strict after every test. */
class JboltContractTest extends BackendContract {
    @Override
    protected BackendProvider provider() {
        return new JboltProvider();
    }

    @Override
    protected void afterEachCheck(Backend backend) {
        List<String> problems = ((JboltBackend) backend).check();
        assertEquals(List.of(), problems, "jbolt check of " + backend.directory());
    }
}
