package example.kv.backend.memlog;

import kv.backend.spi.BackendProvider;
import kv.backend.tck.BackendContract;

/** The whole contract kit against memlog: what every engine, ours or a third party's, must pass. */
class ExampleContractTest extends BackendContract {
    @Override
    protected BackendProvider provider() {
        return new MemlogProvider();
    }
}
