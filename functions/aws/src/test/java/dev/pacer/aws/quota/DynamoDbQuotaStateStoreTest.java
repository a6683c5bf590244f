package dev.pacer.aws.quota;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.quota.QuotaStateStore;
import dev.pacer.core.quota.QuotaStateStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quota table on moto keeps the {@link QuotaStateStoreContract}. */
class DynamoDbQuotaStateStoreTest extends QuotaStateStoreContract {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Override
    protected QuotaStateStore newStore() {
        return new DynamoDbQuotaStateStore(moto.clients().dynamoDb(), moto.resources().physicalId("QuotaTable"));
    }
}
