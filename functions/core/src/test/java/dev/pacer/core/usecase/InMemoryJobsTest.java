package dev.pacer.core.usecase;

import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.JobStoreContract;

/** The use cases' in-memory job store keeps the same rules as the DynamoDB one. */
class InMemoryJobsTest extends JobStoreContract {

    @Override
    protected JobStore newStore() {
        return new InMemoryJobs();
    }

    @Override
    protected Class<? extends RuntimeException> refusal() {
        return IllegalStateException.class;
    }
}
