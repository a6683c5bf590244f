package dev.pacer.core.usecase;

import dev.pacer.core.port.BatchStore;
import dev.pacer.core.port.BatchStoreContract;

class InMemoryBatchesTest extends BatchStoreContract {

    @Override
    protected BatchStore newStore() {
        return new InMemoryBatches();
    }
}
