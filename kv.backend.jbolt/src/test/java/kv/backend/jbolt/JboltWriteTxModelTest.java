package kv.backend.jbolt;

import kv.backend.spi.BackendProvider;
import kv.backend.tck.WriteTxModelContract;

/** The kit's write-transaction model test on jbolt (writes read back through the dirty nodes). */
class JboltWriteTxModelTest extends WriteTxModelContract {
    @Override
    protected BackendProvider provider() {
        return new JboltProvider();
    }
}
