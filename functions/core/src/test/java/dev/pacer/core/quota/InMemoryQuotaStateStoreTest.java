package dev.pacer.core.quota;

/** The in-memory quota state store keeps the same compare-and-set as the DynamoDB one. */
class InMemoryQuotaStateStoreTest extends QuotaStateStoreContract {

    @Override
    protected QuotaStateStore newStore() {
        return new InMemoryQuotaStateStore();
    }
}
