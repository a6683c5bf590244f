package dev.pacer.core.port;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.quota.Account;

import java.util.List;
import java.util.function.Consumer;

/**
 * A provider's Batch API, on the account a batch belongs to: half the price, its own quota, up to a day to answer.
 * Implementations map every provider answer to a value or to a {@link BatchProviderException}; they never hold a
 * whole results file in memory.
 */
public interface BatchProvider {

    /**
     * Opens one provider batch of these lines for {@code model}, named {@code displayName} (the name pacer finds it by
     * again after a crash). Creation is not idempotent: the caller records its intent before calling.
     */
    ProviderBatch open(Account account, String model, String displayName, List<BatchLine> lines);

    /** The account's batches whose display name is {@code displayName}, newest first; empty when there is none. */
    List<ProviderBatch> findByDisplayName(Account account, String displayName);

    /** The batch as the provider sees it now. */
    ProviderBatch poll(Account account, ProviderBatch batch);

    /**
     * Streams the outcome of every line that came back, in the provider's order, one at a time. Called only for a
     * batch whose state {@link dev.pacer.core.batch.BatchState#hasResults() has results}; lines that did not come back
     * (an expired batch's unfinished ones) are simply absent.
     */
    void results(Account account, ProviderBatch batch, Consumer<BatchLineResult> each);

    /** Asks the provider to cancel the batch; lines already finished stay billed and readable. */
    void cancel(Account account, ProviderBatch batch);
}
