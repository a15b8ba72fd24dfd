package kv.backend.tck;

import kv.backend.spi.BackendProvider;

/** The kit passes a correct engine: the test-only log engine runs the whole contract. */
class LogBackendContractTest extends BackendContract {
    @Override
    protected BackendProvider provider() {
        return new LogBackendProvider();
    }
}
